/**
 * What the primary process and its gateway workers (`server.workers` above 1) tell each
 * other over the cluster's IPC channel, besides prom-client's own metrics requests.
 */

/** A worker started (its public port listens and a supergraph is served) or stopped serving. */
export interface ReadyMessage {
  readonly type: 'affordance-gateway:ready';
  readonly ready: boolean;
}

/** The primary asks a worker to close gracefully, as on SIGTERM. */
export interface ShutdownMessage {
  readonly type: 'affordance-gateway:shutdown';
}

export const SHUTDOWN: ShutdownMessage = { type: 'affordance-gateway:shutdown' };

export const isReadyMessage = (message: unknown): message is ReadyMessage =>
  (message as Partial<ReadyMessage> | null)?.type === 'affordance-gateway:ready';

export const isShutdownMessage = (message: unknown): message is ShutdownMessage =>
  (message as Partial<ShutdownMessage> | null)?.type === SHUTDOWN.type;

/** Tells a worker its slot, 0 to workers - 1: its `worker` metrics label, the same for its replacement. */
export const WORKER_SLOT_ENV = 'AG_WORKER_SLOT';
