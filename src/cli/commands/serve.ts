import { createLogger, type Logger } from '../../platform/logger.js';
import { exitOnSignal } from '../../platform/shutdown.js';

/**
 * Runs one component: JSON logs, tracing when configured, and a graceful stop on
 * SIGTERM within `graceMs` (plus a little to flush spans).
 */
export async function serve(
  component: string,
  graceMs: number,
  start: (logger: Logger) => Promise<{ close(graceMs?: number): Promise<void> }>,
): Promise<void> {
  const logger = createLogger(component);
  const { setupTracing } = await import('../../platform/tracing.js');
  const stopTracing = setupTracing({ serviceName: component });
  const running = await start(logger);
  exitOnSignal(
    async () => {
      await running.close(graceMs);
      await stopTracing();
    },
    logger,
    graceMs + 2000,
  );
}
