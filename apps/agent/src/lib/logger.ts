/** The logging surface the agent uses; a pino logger (`app.log.child(...)`) fits it as is. */
export interface AgentLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

const LEVELS = { debug: 20, info: 30, warn: 40, error: 50 } as const;

/** Structured JSON lines on stderr (pino's shape), for the standalone agent. */
export function jsonLogger(level: keyof typeof LEVELS = 'info', base: object = { component: 'agent' }): AgentLogger {
  const min = LEVELS[level];
  const write = (name: keyof typeof LEVELS) => (obj: object, msg: string) => {
    if (LEVELS[name] < min) return;
    process.stderr.write(`${JSON.stringify({ level: LEVELS[name], time: Date.now(), ...base, ...obj, msg })}\n`);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/** Discards everything (tests). */
export const silentLogger: AgentLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
