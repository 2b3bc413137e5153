import { InvalidArgumentError, Option } from 'commander';

/** Parses a port number (0 picks a free one). */
export function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number (0-65535)');
  return n;
}

/** Parses a duration in milliseconds. */
export function millis(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number of milliseconds');
  return n;
}

export const portOption = (def: number) =>
  new Option('--port <port>', 'port to listen on (0 picks one)').env('PORT').default(def).argParser(port);

export const hostOption = () => new Option('--host <host>', 'interface to listen on').env('HOST').default('127.0.0.1');

export const graceOption = () =>
  new Option('--grace-ms <ms>', 'time allowed on SIGTERM to finish in-flight requests')
    .env('SHUTDOWN_GRACE_MS')
    .default(20_000)
    .argParser(millis);

/** Options every server component takes (`portOption`, `hostOption`, `graceOption`). */
export interface ServerOptions {
  port: number;
  host: string;
  graceMs: number;
}
