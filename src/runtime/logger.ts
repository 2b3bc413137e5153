import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON logs, one logger per process, the component name on every line. */
export function createLogger(component: string, level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: component, level, base: { component, pid: process.pid } });
}

/** A logger that drops everything, for tests and embedding. */
export const silentLogger: Logger = pino({ level: 'silent' });
