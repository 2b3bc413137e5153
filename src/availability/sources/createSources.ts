import type { GatewayConfig } from '../../config/schema.js';
import { KubernetesSource } from '../../kubernetes/kubernetesSource.js';
import type { Logger } from '../../runtime/logger.js';
import type { AvailabilitySource } from '../types.js';
import { ProbeSource, probeTargetsFromConfig } from './probe/probeSource.js';

/** The availability sources the configuration names, in its order. */
export function createSources(config: GatewayConfig, logger: Logger): AvailabilitySource[] {
  return config.availability.sources.map((kind) => {
    switch (kind) {
      case 'probe':
        return new ProbeSource({
          targets: probeTargetsFromConfig(config),
          intervalMs: config.availability.probe.intervalMs,
        });
      case 'kubernetes':
        return new KubernetesSource({ config, logger: logger.child({ source: 'kubernetes' }) });
    }
  });
}
