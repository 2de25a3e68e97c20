import { readFileSync } from 'node:fs';
import { ApiRequestError } from '@novacron/client';
import { parseCommandArgs, resolveGlobals, splitGlobals, type OutputFormat } from './args';
import { commands } from './commands';
import { credentialsPath, readCredentials } from './credentials';
import { CliError, ExitCode, exitCodeOf, NotLoggedInError, UsageError } from './exit-codes';
import { commandHelp, generalHelp, groupHelp } from './help';
import type { CliIo } from './io';
import { render } from './output';
import { Prompter } from './prompt';
import { CommandRegistry } from './registry';
import { ApiSession } from './session';

/** Version of the CLI (from its package.json). */
export const CLI_VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

/** Options for tests: another command set or fetch. */
export interface RunOptions {
  registry?: CommandRegistry;
  fetch?: typeof fetch;
}

/** Runs one command line and returns the exit code; never throws. */
export async function run(argv: string[], io: CliIo, opts: RunOptions = {}): Promise<number> {
  const registry = opts.registry ?? new CommandRegistry(commands);
  let format: OutputFormat = 'table';
  let helpHint = 'novacron --help';
  const prompt = new Prompter(io);
  try {
    const { globals: raw, rest } = splitGlobals(argv);
    format = raw.output === 'json' ? 'json' : 'table';
    const file = credentialsPath(io.env);
    const globals = resolveGlobals(raw, io.env, readCredentials(file)?.server);
    if (globals.version) {
      io.stdout.write(`novacron ${CLI_VERSION}\n`);
      return ExitCode.OK;
    }
    const words: string[] = [];
    for (const token of rest) {
      if (token.startsWith('-')) break;
      words.push(token);
    }
    const found = registry.match(words);
    if (!found) {
      const group = registry.under(words.slice(0, 1));
      if (words.length === 0) {
        (globals.help ? io.stdout : io.stderr).write(`${generalHelp(registry)}\n`);
        return globals.help ? ExitCode.OK : ExitCode.USAGE;
      }
      if (group.length && (words.length === 1 || globals.help)) {
        (globals.help ? io.stdout : io.stderr).write(`${groupHelp(words.slice(0, 1), group)}\n`);
        return globals.help ? ExitCode.OK : ExitCode.USAGE;
      }
      throw new UsageError(`unknown command: ${words.slice(0, 2).join(' ')}`);
    }
    const { command, used } = found;
    helpHint = `novacron ${command.path.join(' ')} --help`;
    if (globals.help) {
      io.stdout.write(`${commandHelp(command)}\n`);
      return ExitCode.OK;
    }
    const { flags, args } = parseCommandArgs(command, rest.slice(used));
    const api = new ApiSession(globals, file, opts.fetch);
    const result = await command.run({ args, flags, globals, io, api, prompt });
    if (result) {
      io.stdout.write(render(result, globals.output));
      if (globals.output === 'table' && result.note) io.stderr.write(`${result.note}\n`);
      if (result.failure) return reportError(result.failure, io, globals.output);
    }
    return ExitCode.OK;
  } catch (err) {
    return reportError(err, io, format, helpHint);
  } finally {
    prompt.close();
  }
}

/** Prints an error as `error CODE: detail` (or a problem JSON with --output json) on stderr and returns its exit code. */
export function reportError(err: unknown, io: CliIo, format: OutputFormat, helpHint = 'novacron --help'): number {
  let code: string;
  let detail: string;
  let exit: number;
  let problem: Record<string, unknown> | undefined;
  if (err instanceof ApiRequestError) {
    ({ code } = err);
    detail = err.problem.detail || err.problem.title;
    exit = exitCodeOf(err);
    problem = err.problem as unknown as Record<string, unknown>;
  } else if (err instanceof UsageError) {
    [code, detail, exit] = ['USAGE', err.message, ExitCode.USAGE];
  } else if (err instanceof NotLoggedInError) {
    [code, detail, exit] = ['UNAUTHENTICATED', err.message, ExitCode.AUTH];
  } else if (err instanceof CliError) {
    [code, detail, exit] = [err.code, err.message, err.exitCode];
  } else if (err instanceof TypeError && err.message === 'fetch failed') {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    [code, detail, exit] = ['SERVER_UNREACHABLE', `cannot reach the server: ${cause?.code ?? cause?.message ?? 'network error'}`, ExitCode.API_ERROR];
  } else {
    [code, detail, exit] = ['INTERNAL', (err as Error)?.message ?? String(err), ExitCode.API_ERROR];
    if (io.env.NOVACRON_DEBUG) io.stderr.write(`${(err as Error)?.stack}\n`);
  }
  if (format === 'json') {
    io.stderr.write(`${JSON.stringify(problem ?? { title: code, code, detail }, null, 2)}\n`);
  } else {
    io.stderr.write(`error ${code}: ${detail}\n`);
    const fields = (problem?.errors as Array<{ in: string; path: string; message: string }> | undefined) ?? [];
    for (const f of fields) io.stderr.write(`  ${f.in}${f.path ? `.${f.path}` : ''}: ${f.message}\n`);
    if (exit === ExitCode.USAGE) io.stderr.write(`Run "${helpHint}" for usage.\n`);
  }
  return exit;
}
