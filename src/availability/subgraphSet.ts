import type { AvailabilitySource } from './types.js';
import type { Logger } from '../platform/logger.js';

/** Where a remote subgraph is served. */
export interface SubgraphEndpoint {
  readonly url: string;
  /** What of its own GraphQL errors reaches clients (config `subgraphs.<name>.errors`). Default redact. */
  readonly errors?: 'redact' | 'passthrough';
}

/** A subgraph found at run time (e.g. a Subgraph resource). */
export interface DiscoveredEndpoint extends SubgraphEndpoint {
  readonly name: string;
  /** Where it was declared, for conflict messages: "Subgraph shop/customers". */
  readonly declaredBy: string;
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
        endpoints.set(found.name, { url: found.url, errors: found.errors });
        continue;
      }
      const key = `${found.name} ${found.declaredBy}`;
      if (this.reported.has(key)) continue;
      this.reported.add(key);
      this.logger.warn(
        { subgraph: found.name, declaredBy: found.declaredBy },
        `${found.declaredBy} declares subgraph ${found.name}, which the config file also defines; the config file wins`,
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
