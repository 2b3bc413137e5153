import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import type { GatewayConfig } from '../config/schema.js';
import { backoff } from '../platform/backoff.js';
import { ErrorCode } from '../platform/errorCodes.js';
import { sendError } from '../platform/http/graphqlHandler.js';
import { startHttpServer } from '../platform/http/httpServer.js';
import type { Logger } from '../platform/logger.js';
import type { ClosableComponent } from '../platform/runComponent.js';
import { ADMIN_CONNECTIONS } from './adminConnections.js';
import { isReadyMessage, SHUTDOWN, WORKER_SLOT_ENV } from './workerMessages.js';

const RESTART_INITIAL_MS = 500;
const RESTART_MAX_MS = 30_000;
/** Past the workers' own grace period, the time the primary gives them before it kills them. */
const KILL_AFTER_MS = 1000;

/**
 * The primary process of `server.workers` gateway processes (node:cluster): it forks the
 * workers, which share the public port (the primary hands each new connection to one in
 * turn) and each run the whole gateway with its own serving state, and serves the admin
 * port itself: /healthz, /readyz (ready while at least one worker serves) and /metrics
 * (every worker's series, labelled `worker`, gathered through prom-client's cluster
 * aggregation). A worker that fails before any worker has served stops the whole gateway,
 * as a single process would fail to start; one that dies later is replaced in its slot
 * with backoff. Closing asks every worker to close gracefully (as on SIGTERM), then waits.
 */
export async function startGatewayPrimary(config: GatewayConfig, logger: Logger): Promise<ClosableComponent> {
  const { workers, host, adminPort, shutdownGraceMs } = config.server;
  const metrics = new AggregatorRegistry();
  const serving = new Set<number>();
  const attempts = new Map<number, number>();
  let everServed = false;
  let closing = false;
  const exited = new Set<Promise<void>>();

  const fork = (slot: number): void => {
    const worker: Worker = cluster.fork({ [WORKER_SLOT_ENV]: String(slot) });
    const gone = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    exited.add(gone);
    worker.on('message', (message: unknown) => {
      if (!isReadyMessage(message)) return;
      if (!message.ready) return void serving.delete(slot);
      serving.add(slot);
      everServed = true;
      attempts.set(slot, 0);
    });
    worker.once('exit', (code, signal) => {
      exited.delete(gone);
      serving.delete(slot);
      if (closing) return;
      if (!everServed) {
        logger.error({ worker: slot, code, signal }, 'a gateway worker failed before any served; stopping');
        process.exit(code || 1);
      }
      const attempt = attempts.get(slot) ?? 0;
      attempts.set(slot, attempt + 1);
      const delay = backoff(attempt, RESTART_INITIAL_MS, RESTART_MAX_MS);
      logger.error(
        { worker: slot, code, signal, restartInMs: Math.round(delay) },
        'a gateway worker died; replacing it',
      );
      setTimeout(() => closing || fork(slot), delay).unref();
    });
  };

  const admin = await startHttpServer({
    host,
    // The config requires an admin port with more than one worker.
    port: adminPort!,
    logger,
    ready: () => serving.size > 0,
    connections: ADMIN_CONNECTIONS,
    routes: {
      '/metrics': async (_req, res) => {
        let text: string;
        try {
          text = await metrics.clusterMetrics();
        } catch (error) {
          const reason = (error as Error).message;
          return sendError(
            res,
            503,
            `the workers' metrics could not be gathered (${reason}); retry`,
            ErrorCode.BACKEND_UNAVAILABLE,
          );
        }
        res.setHeader('content-type', metrics.contentType);
        res.end(text);
      },
    },
  });
  for (let slot = 0; slot < workers; slot++) fork(slot);
  logger.info({ workers, admin: admin.url }, 'gateway workers starting');
  return {
    close: async () => {
      closing = true;
      for (const worker of Object.values(cluster.workers ?? {})) {
        if (worker?.isConnected()) worker.send(SHUTDOWN);
      }
      const waited = Promise.all([...exited]);
      const kill = setTimeout(() => {
        for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
      }, shutdownGraceMs + KILL_AFTER_MS);
      await waited;
      clearTimeout(kill);
      await admin.close(0);
    },
  };
}
