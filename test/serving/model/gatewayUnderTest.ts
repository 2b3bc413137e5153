import { Kind, print } from 'graphql';
// The only imports of the project: re-point them when the serving core moves.
import { affordancesTypeDefs } from '../../../src/affordances/typeDefs.js';
import { AFFORDANCES_SUBGRAPH } from '../../../src/config/subgraphName.js';
import type { DiscoveredEndpoint, SubgraphDiscovery } from '../../../src/availability/subgraphSet.js';
import type { AvailabilitySource, CheckStatus } from '../../../src/availability/types.js';
import { validateConfig } from '../../../src/config/load.js';
import { startGateway } from '../../../src/gateway/startGateway.js';
import { silentLogger } from '../../../src/platform/logger.js';
import { StaticSource } from '../../../src/sources/staticSource.js';
import { ServedLog, type GatewayUnderTest, type StartGatewayUnderTest } from './gatewayInterface.js';

/**
 * Declares the model's subgraphs by discovery, not in the config: config subgraphs have
 * fixed URLs, discovered ones can move (an SDL-change step points a subgraph at another
 * server). It has no checks of its own; availability comes from a StaticSource.
 */
class ModelDiscovery implements AvailabilitySource, SubgraphDiscovery {
  readonly name = 'model-discovery';
  private readonly endpoints = new Map<string, string>();
  private readonly listeners = new Set<() => void>();

  constructor(subgraphs: readonly { name: string; url: string }[]) {
    for (const { name, url } of subgraphs) this.endpoints.set(name, url);
  }

  async start(): Promise<void> {}

  snapshot(): readonly CheckStatus[] {
    return [];
  }

  async stop(): Promise<void> {}

  discoveredSubgraphs(): readonly DiscoveredEndpoint[] {
    return [...this.endpoints].map(([name, url]) => ({ name, url, declaredBy: `model/${name}` }));
  }

  onDiscoveryChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  move(name: string, url: string): void {
    this.endpoints.set(name, url);
    for (const listener of this.listeners) listener();
  }
}

const ownRootFields = new Set(
  affordancesTypeDefs.definitions.flatMap((d) =>
    (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_EXTENSION) && d.name.value === 'Query'
      ? (d.fields ?? []).map((f) => f.name.value)
      : [],
  ),
);

let started = 0;

/**
 * The project's gateway (`startGateway`) as a `GatewayUnderTest`: subgraphs by discovery,
 * availability by a StaticSource, no settle time, no circuit breaker, limits high enough
 * for any generated operation; the served history follows `served.subscribe`.
 */
export const startProjectGateway: StartGatewayUnderTest = async (subgraphs) => {
  // Every other gateway plans on threads, the others on the event loop (the generated supergraphs are small).
  const plannerThreadsFromChars = started++ % 2 === 0 ? 0 : 20_000;
  const availability = new StaticSource(Object.fromEntries(subgraphs.map((s) => [s.name, true])));
  const discovery = new ModelDiscovery(subgraphs);
  const config = validateConfig({
    server: { port: 0, host: '127.0.0.1', shutdownGraceMs: 2000 },
    availability: { settleMs: 0 },
    composition: { sdlRetryMs: 50, plannerThreadsFromChars },
    limits: { rateLimit: false, maxDepth: 100, maxAliases: 10_000, maxCost: 10_000_000, maxTokens: 10_000_000 },
    subgraphRequests: { circuitBreaker: false },
  });
  const gateway = await startGateway({ config, logger: silentLogger, sources: [availability, discovery] });
  const log = new ServedLog();
  const first = gateway.served.get();
  if (first) log.record(first.supergraphSdl);
  const unsubscribe = gateway.served.subscribe((served) => log.record(served.supergraphSdl));
  return {
    url: `${gateway.url}/graphql`,
    servedHistory: log.history,
    ownSubgraphs: [
      { name: AFFORDANCES_SUBGRAPH, url: `local://${AFFORDANCES_SUBGRAPH}`, sdl: print(affordancesTypeDefs) },
    ],
    ownRootFields,
    onServed: (listener) => log.subscribe(listener),
    setAvailable: (name, ok) => availability.set(name, ok),
    setVersion: (name, url) => discovery.move(name, url),
    close: async () => {
      unsubscribe();
      await gateway.close();
    },
  } satisfies GatewayUnderTest;
};
