import type { ApiSession } from './session';
import type { CliIo } from './io';
import type { GlobalOptions } from './args';
import type { Result } from './output';
import type { Prompter } from './prompt';

/** One flag of a command, as node:util parseArgs takes it, plus help text. */
export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  description: string;
  /** Name of the value in help, e.g. `EMAIL`. */
  value?: string;
}

/** Parsed flag values of a command. */
export type FlagValues = Record<string, string | boolean | string[] | boolean[] | undefined>;

/** What a command's `run` receives. */
export interface CommandContext {
  /** Positional arguments after the command words. */
  args: string[];
  flags: FlagValues;
  globals: GlobalOptions;
  io: CliIo;
  /** The API, authenticated from flags, environment or stored credentials (refreshed when they expire). */
  api: ApiSession;
  /** Asks for values (terminal prompts, or lines of stdin). */
  prompt: Prompter;
}

/** One CLI command: `novacron <path...> [args] [flags]`. A new command is one file and one line in its noun's index. */
export interface Command {
  /** Command words, e.g. `['users', 'list']` or `['login']`. */
  path: string[];
  summary: string;
  /** Positional arguments for help, e.g. `<id>` or `<key=value>...`. */
  args?: string;
  /** Bounds of the positional count; a count outside them is a usage error (exit 2). */
  minArgs?: number;
  maxArgs?: number;
  flags?: Record<string, FlagSpec>;
  /** Longer help shown by `--help`. */
  description?: string;
  run(ctx: CommandContext): Promise<Result | void>;
}

/** Declares a command (keeps literal types and reads well at the call site). */
export function defineCommand(command: Command): Command {
  return command;
}

/** A set of commands, looked up by their words. */
export class CommandRegistry {
  private readonly byKey = new Map<string, Command>();

  constructor(commands: Command[] = []) {
    for (const c of commands) this.add(c);
  }

  /** Adds a command; two commands with the same words are a programming error. */
  add(command: Command): void {
    const key = command.path.join(' ');
    if (this.byKey.has(key)) throw new Error(`duplicate command: ${key}`);
    this.byKey.set(key, command);
  }

  /** Every command, sorted by words. */
  all(): Command[] {
    return [...this.byKey.values()].sort((a, b) => a.path.join(' ').localeCompare(b.path.join(' ')));
  }

  /** The longest command whose words prefix `words`, and how many words it used. */
  match(words: string[]): { command: Command; used: number } | undefined {
    for (let n = Math.min(words.length, 3); n > 0; n--) {
      const command = this.byKey.get(words.slice(0, n).join(' '));
      if (command) return { command, used: n };
    }
    return undefined;
  }

  /** Commands whose words start with `prefix` (for `novacron users` help). */
  under(prefix: string[]): Command[] {
    return this.all().filter((c) => prefix.every((w, i) => c.path[i] === w) && c.path.length > prefix.length);
  }
}
