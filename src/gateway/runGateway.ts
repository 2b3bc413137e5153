import cluster from 'node:cluster';
import type { GatewayConfig } from '../config/schema.js';
import { runComponent } from '../platform/runComponent.js';
import { WORKER_SLOT_ENV } from './workerMessages.js';

/**
 * Runs the gateway as this process's job: one process, or with `server.workers` above 1
 * a primary that starts that many worker processes (this same command, run again by
 * node:cluster) and the workers themselves. The primary loads none of the gateway.
 */
export async function runGateway(config: GatewayConfig): Promise<void> {
  const graceMs = config.server.shutdownGraceMs;
  if (config.server.workers > 1 && cluster.isPrimary) {
    const { startGatewayPrimary } = await import('./gatewayPrimary.js');
    return runComponent('gateway', graceMs, (logger) => startGatewayPrimary(config, logger));
  }
  const { startGateway } = await import('./startGateway.js');
  if (!cluster.isWorker) return runComponent('gateway', graceMs, (logger) => startGateway({ config, logger }));
  const { closeWithPrimary, primaryLink } = await import('./primaryLink.js');
  const slot = Number(process.env[WORKER_SLOT_ENV]);
  return runComponent(
    'gateway',
    graceMs,
    (logger) => startGateway({ config, logger: logger.child({ worker: slot }), worker: primaryLink(slot) }),
    { shutdownOn: closeWithPrimary },
  );
}
