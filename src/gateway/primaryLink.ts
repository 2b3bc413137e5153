import { AggregatorRegistry, type Registry } from 'prom-client';
import type { Shutdown } from '../platform/shutdown.js';
import { isShutdownMessage, type ReadyMessage } from './workerMessages.js';

/** A gateway worker's side of the link to the primary process that started it. */
export interface WorkerLink {
  /** Its slot among the workers (0 to workers - 1). */
  readonly slot: number;
  /** Answers the primary's requests for this worker's metrics (prom-client's cluster aggregation). */
  shareMetrics(registry: Registry): void;
  /** Tells the primary whether this worker serves. */
  ready(ready: boolean): void;
}

export function primaryLink(slot: number): WorkerLink {
  return {
    slot,
    shareMetrics(registry) {
      // Constructing one installs the worker's answer to the primary's metrics requests.
      new AggregatorRegistry();
      AggregatorRegistry.setRegistries([registry]);
    },
    ready(ready) {
      const message: ReadyMessage = { type: 'affordance-gateway:ready', ready };
      if (process.connected) process.send?.(message);
    },
  };
}

/** Closes the worker gracefully when the primary asks, or when the primary is gone (no orphan keeps the port). */
export function closeWithPrimary(shutdown: Shutdown): void {
  process.on('message', (message) => {
    if (isShutdownMessage(message)) shutdown('asked by the primary process');
  });
  process.on('disconnect', () => shutdown('the primary process is gone'));
}
