import { createLogger, type Logger } from './logger.js';
import { exitOnSignal } from './shutdown.js';

/** What `runComponent` starts: anything that can be closed within a grace period. */
export interface ClosableComponent {
  close(graceMs?: number): Promise<void>;
}

/**
 * Runs one component as its process's only job (the gateway, each demo subgraph): JSON
 * logs, tracing when configured, and a graceful stop on SIGTERM within `graceMs` (plus a
 * little to flush spans).
 */
export async function runComponent(
  component: string,
  graceMs: number,
  start: (logger: Logger) => Promise<ClosableComponent>,
): Promise<void> {
  const logger = createLogger(component);
  // The OpenTelemetry SDK is loaded only when there is a collector to export to.
  const { tracingEndpoint } = await import('./tracing.js');
  const stopTracing = tracingEndpoint(process.env)
    ? (await import('./tracingSetup.js')).setupTracing({ serviceName: component })
    : async () => {};
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
