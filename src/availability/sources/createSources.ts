import type { GatewayConfig } from '../../config/schema.js';
import type { AvailabilitySource } from '../types.js';
import { ProbeSource, probeTargetsFromConfig } from './probe/probeSource.js';

/** The availability sources the configuration names, in its order. */
export function createSources(config: GatewayConfig): AvailabilitySource[] {
  return config.availability.sources.map((kind) => {
    switch (kind) {
      case 'probe':
        return new ProbeSource({ targets: probeTargetsFromConfig(config), intervalMs: config.availability.probe.intervalMs });
      case 'kubernetes':
        throw new Error('the kubernetes source is not built yet');
    }
  });
}
