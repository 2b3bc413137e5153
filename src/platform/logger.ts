import { pino, type DestinationStream, type Logger } from 'pino';
import { currentRequestId } from './requestContext.js';

export type { Logger };

/** JSON logs, one logger per process: the component on every line, the request id on every line logged for a request. */
export function createLogger(
  component: string,
  level: string = process.env.LOG_LEVEL ?? 'info',
  destination?: DestinationStream,
): Logger {
  const options = {
    name: component,
    level,
    base: { component, pid: process.pid },
    mixin: () => {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** A logger that drops everything, for tests and embedding. */
export const silentLogger: Logger = pino({ level: 'silent' });
