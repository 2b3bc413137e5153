import type { GatewayConfig } from '../config/schema.js';
import type { Logger } from '../platform/logger.js';
import type { AvailabilitySource } from '../availability/types.js';
import { ProbeSource, probeTargetsFromConfig } from '../sources/probe/probeSource.js';

/**
 * The availability sources the configuration names, in its order. The Kubernetes client
 * is loaded only when its source is configured: it alone adds about 75 MB to the
 * gateway's resident memory.
 */
export async function createSources(config: GatewayConfig, logger: Logger): Promise<AvailabilitySource[]> {
  return Promise.all(
    config.availability.sources.map(async (kind): Promise<AvailabilitySource> => {
      switch (kind) {
        case 'probe':
          return new ProbeSource({
            targets: probeTargetsFromConfig(config),
            intervalMs: config.availability.probe.intervalMs,
          });
        case 'kubernetes': {
          const { KubernetesSource } = await import('../sources/kubernetes/kubernetesSource.js');
          return new KubernetesSource({ config, logger: logger.child({ source: 'kubernetes' }) });
        }
      }
    }),
  );
}
