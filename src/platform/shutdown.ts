import type { Logger } from './logger.js';

/** Starts the graceful close as a signal would, for reasons other than a signal (`reason` is logged). */
export type Shutdown = (reason: string) => void;

/**
 * Closes the component on SIGTERM or SIGINT and exits: 0 when `close` finished within
 * `graceMs`, 1 when it had to be cut short. A second signal exits at once. Returns the
 * same graceful close for other triggers (a primary process asking its worker to stop):
 * it starts the close once, and does not count as a signal.
 */
export function exitOnSignal(close: () => Promise<void>, logger: Logger, graceMs = 10_000): Shutdown {
  let closing = false;
  let signalled = false;
  const begin = (reason: string) => {
    if (closing) return;
    closing = true;
    logger.info({ reason, graceMs }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ graceMs }, 'shutdown took longer than the grace period; exiting');
      process.exit(1);
    }, graceMs);
    timer.unref();
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) process.exit(1);
    signalled = true;
    begin(signal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  // Under the local stack's supervisor, stdin is a pipe from it: its end means the
  // supervisor is gone (even if killed with SIGKILL), so no orphan keeps a port.
  if (process.env[SUPERVISED_ENV] === '1') {
    process.stdin.on('end', () => onSignal('SIGTERM')).resume();
  }
  return begin;
}

/** Set by the supervisor in its children's environment. */
export const SUPERVISED_ENV = 'AG_SUPERVISED';
