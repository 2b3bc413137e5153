import type { AvailabilitySource } from './types.js';
import type { Logger } from '../platform/logger.js';

/** Where a remote subgraph is served. */
export interface SubgraphEndpoint {
  readonly url: string;
}

/** A subgraph found at run time (e.g. an annotated Service). */
export interface DiscoveredEndpoint {
  readonly name: string;
  readonly url: string;
  /** Where it was declared, for conflict messages. */
  readonly service: string;
}

/** A source that also discovers subgraphs. */
export interface SubgraphDiscovery {
  discoveredSubgraphs(): readonly DiscoveredEndpoint[];
  onDiscoveryChange(listener: () => void): () => void;
}

export function isSubgraphDiscovery(source: AvailabilitySource): source is AvailabilitySource & SubgraphDiscovery {
  return 'discoveredSubgraphs' in source && 'onDiscoveryChange' in source;
}

/**
 * The gateway's subgraph set: the config file's subgraphs plus discovered ones. On a
 * name conflict the config file wins and the conflict is logged once.
 */
export class SubgraphSet {
  private readonly reported = new Set<string>();

  constructor(
    /** The config file's subgraphs. */
    private readonly configured: ReadonlyMap<string, SubgraphEndpoint>,
    private readonly discoveries: readonly SubgraphDiscovery[],
    private readonly logger: Logger,
  ) {}

  current(): Map<string, SubgraphEndpoint> {
    const endpoints = new Map(this.configured);
    for (const found of this.discoveries.flatMap((d) => d.discoveredSubgraphs())) {
      if (!endpoints.has(found.name)) {
        endpoints.set(found.name, { url: found.url });
        continue;
      }
      const key = `${found.name} ${found.service}`;
      if (this.reported.has(key)) continue;
      this.reported.add(key);
      this.logger.warn(
        { subgraph: found.name, service: found.service },
        `service ${found.service} declares subgraph ${found.name}, which the config file also defines; the config file wins`,
      );
    }
    return endpoints;
  }

  /** Calls `listener` with the new set whenever discovery changes it. */
  subscribe(listener: (endpoints: Map<string, SubgraphEndpoint>) => void): () => void {
    const unsubscribers = this.discoveries.map((d) => d.onDiscoveryChange(() => listener(this.current())));
    return () => unsubscribers.forEach((fn) => fn());
  }
}
