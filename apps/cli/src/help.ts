import { globalFlags } from './args';
import { ExitCode } from './exit-codes';
import type { Command, CommandRegistry, FlagSpec } from './registry';

function flagLines(flags: Record<string, FlagSpec & { env?: string }>): string[] {
  const entries = Object.entries(flags).map(([name, spec]) => {
    const short = spec.short ? `-${spec.short}, ` : '    ';
    const value = spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : '';
    const env = spec.env ? ` [env ${spec.env}]` : '';
    return [`  ${short}--${name}${value}`, `${spec.description}${spec.multiple ? ' (repeatable)' : ''}${env}`] as const;
  });
  const w = Math.max(0, ...entries.map(([l]) => l.length));
  return entries.map(([l, d]) => `${l.padEnd(w)}  ${d}`);
}

function commandLines(commands: Command[]): string[] {
  const rows = commands.map((c) => [`  ${[...c.path, c.args ?? ''].join(' ').trim()}`, c.summary] as const);
  const w = Math.max(0, ...rows.map(([l]) => l.length));
  return rows.map(([l, s]) => `${l.padEnd(w)}  ${s}`);
}

const exitCodes = [
  `  ${ExitCode.OK}  success`,
  `  ${ExitCode.API_ERROR}  the API answered with an error (stderr: "error CODE: detail"), or the server is unreachable`,
  `  ${ExitCode.USAGE}  usage error: unknown command or flag, bad or missing argument`,
  `  ${ExitCode.AUTH}  not logged in, or authentication failed`,
  `  ${ExitCode.NOT_FOUND}  not found`,
];

/** `novacron --help`: every command, the global flags and the exit codes. */
export function generalHelp(registry: CommandRegistry): string {
  return [
    'novacron: the NovaCron command line',
    '',
    'Usage: novacron <command> [arguments] [flags]',
    '',
    'Commands:',
    ...commandLines(registry.all()),
    '',
    'Global flags:',
    ...flagLines(globalFlags),
    '',
    'Exit codes:',
    ...exitCodes,
    '',
    'Run "novacron <command> --help" for the flags of one command.',
  ].join('\n');
}

/** Help for a group such as `novacron users`. */
export function groupHelp(prefix: string[], commands: Command[]): string {
  return [`Usage: novacron ${prefix.join(' ')} <command> [arguments] [flags]`, '', 'Commands:', ...commandLines(commands)].join('\n');
}

/** Help for one command. */
export function commandHelp(command: Command): string {
  const lines = [`Usage: novacron ${[...command.path, command.args ?? ''].join(' ').trim()} [flags]`, '', command.summary];
  if (command.description) lines.push('', command.description);
  if (command.flags && Object.keys(command.flags).length) lines.push('', 'Flags:', ...flagLines(command.flags));
  lines.push('', 'Global flags:', ...flagLines(globalFlags));
  return lines.join('\n');
}
