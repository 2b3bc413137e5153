import { LocalGraphQLDataSource, type GraphQLDataSource } from '@apollo/gateway';
import type { GraphQLSchema } from 'graphql';
import type { CircuitBreakerSource } from '../sources/circuitBreakerSource.js';
import { SubgraphDataSource, type FetchOutcome, type SubgraphDataSourceOptions } from './subgraphDataSource.js';

export interface DataSourcesOptions extends Pick<
  SubgraphDataSourceOptions,
  'timeoutMs' | 'connections' | 'debug' | 'shareInflight' | 'onSchemaMismatch' | 'maxResponseBytes' | 'logger'
> {
  /** What of a subgraph's own errors reaches clients when not `debug` (config `subgraphs.<name>.errors`). */
  errorsOf: (subgraph: string) => 'redact' | 'passthrough';
  /** Subgraphs served in-process (the affordances subgraph), by name. */
  local: ReadonlyMap<string, GraphQLSchema>;
  /** Header rules per subgraph (config `headers`), handed to each remote data source. */
  headerPlanFor?: SubgraphDataSourceOptions['headerPlanFor'];
  breaker?: CircuitBreakerSource;
  onFetch?: (outcome: FetchOutcome) => void;
}

/**
 * The gateway's data source for each subgraph endpoint: in-process for the local ones, a
 * pooled HTTP client for the rest. One per name and URL, shared by every serving state
 * that has that subgraph at that URL (a swap keeps the pools warm); closed on shutdown.
 */
export class DataSources {
  private readonly sources = new Map<string, GraphQLDataSource>();
  private readonly remote = new Set<SubgraphDataSource>();

  constructor(private readonly options: DataSourcesOptions) {}

  readonly dataSourceFor = ({ name, url }: { name: string; url: string }): GraphQLDataSource => {
    const key = `${name} ${url}`;
    let source = this.sources.get(key);
    if (source) return source;
    const schema = this.options.local.get(name);
    if (schema) {
      source = new LocalGraphQLDataSource(schema);
    } else {
      const { local: _local, errorsOf, ...options } = this.options;
      const errors = options.debug ? 'debug' : errorsOf(name);
      const remote = new SubgraphDataSource({ ...options, name, url, errors });
      this.remote.add(remote);
      source = remote;
    }
    this.sources.set(key, source);
    return source;
  };

  async close(): Promise<void> {
    await Promise.all([...this.remote].map((source) => source.close()));
    this.remote.clear();
    this.sources.clear();
  }
}
