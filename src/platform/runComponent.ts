import { createLogger, type Logger } from './logger.js';
import { exitOnSignal, type Shutdown } from './shutdown.js';

/** What `runComponent` starts: anything that can be closed within a grace period. */
export interface ClosableComponent {
  close(graceMs?: number): Promise<void>;
}

export interface RunComponentOptions {
  /** Told how to start the graceful close for a reason other than a signal (a worker asked by its primary). */
  shutdownOn?: (shutdown: Shutdown) => void;
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
  options: RunComponentOptions = {},
): Promise<void> {
  const logger = createLogger(component);
  // The OpenTelemetry SDK is loaded only when there is a collector to export to.
  const { tracingEndpoint } = await import('./tracing.js');
  const stopTracing = tracingEndpoint(process.env)
    ? (await import('./tracingSetup.js')).setupTracing({ serviceName: component })
    : async () => {};
  const running = await start(logger);
  const shutdown = exitOnSignal(
    async () => {
      await running.close(graceMs);
      await stopTracing();
    },
    logger,
    graceMs + 2000,
  );
  options.shutdownOn?.(shutdown);
}
