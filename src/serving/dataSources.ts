import { LocalGraphQLDataSource, type GraphQLDataSource, type ServiceEndpointDefinition } from '@apollo/gateway';
import type { GraphQLSchema } from 'graphql';
import type { CircuitBreakerSource } from '../sources/circuitBreakerSource.js';
import type { GatewayConfig } from '../config/schema.js';
import { SubgraphDataSource, type FetchOutcome } from './subgraphDataSource.js';

/**
 * Builds the gateway's data source for each subgraph (in-process for the local ones,
 * a pooled HTTP client for the rest) and closes their connections on shutdown.
 */
export class DataSources {
  private readonly remote = new Set<SubgraphDataSource>();

  constructor(
    private readonly local: ReadonlyMap<string, GraphQLSchema>,
    private readonly config: GatewayConfig,
    private readonly hooks: { breaker?: CircuitBreakerSource; onFetch?: (outcome: FetchOutcome) => void },
  ) {}

  /** ApolloGateway's `buildService`. */
  readonly build = ({ name, url }: ServiceEndpointDefinition): GraphQLDataSource => {
    const schema = this.local.get(name);
    if (schema) return new LocalGraphQLDataSource(schema);
    const { timeoutMs, connections } = this.config.subgraphRequests;
    const source = new SubgraphDataSource({
      name,
      url: url!,
      timeoutMs,
      connections,
      debug: this.config.server.debug,
      ...this.hooks,
    });
    this.remote.add(source);
    return source;
  };

  async close(): Promise<void> {
    await Promise.all([...this.remote].map((source) => source.close()));
    this.remote.clear();
  }
}
