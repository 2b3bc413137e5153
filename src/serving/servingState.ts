import { createHash } from 'node:crypto';
import type { GraphQLDataSource, ServiceMap } from '@apollo/gateway';
import { Supergraph, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type QueryPlan } from '@apollo/query-planner';
import type { GraphQLSchema } from 'graphql';
import { LRUCache } from 'lru-cache';

/**
 * Everything one supergraph is served with, built together and never changed: the
 * supergraph, the API schema clients validate against, the query planner, its plan
 * cache and the data sources of its subgraphs. A request takes one state at its start
 * and uses it for validation, planning and execution; a swap replaces the reference to
 * the whole state, so no request ever mixes two supergraphs.
 */
export interface ServingState {
  /** sha256 of the supergraph SDL: two states with one id were built from the same input. */
  readonly id: string;
  readonly supergraphSdl: string;
  /** The supergraph as graphql-js sees it; execution reads entity types from it. */
  readonly supergraphSchema: GraphQLSchema;
  /** The API schema as federation sees it; planning and result shaping read it. */
  readonly apiSchema: Schema;
  /** The API schema clients validate against. */
  readonly schema: GraphQLSchema;
  readonly planner: QueryPlanner;
  /** Plans of this supergraph only, by query hash and operation name. */
  readonly plans: LRUCache<string, QueryPlan>;
  readonly services: ServiceMap;
  /** Names of the subgraphs in the supergraph. */
  readonly subgraphs: ReadonlySet<string>;
}

export interface ServingStateOptions {
  /** The data source of a subgraph at a URL (shared between states: one pool per endpoint). */
  dataSourceFor(subgraph: { name: string; url: string }): GraphQLDataSource;
  /** Query plans kept per state. Default 1000. */
  planCacheSize?: number;
}

export const supergraphId = (supergraphSdl: string) => createHash('sha256').update(supergraphSdl).digest('hex');

/**
 * Builds the serving state of a supergraph, in the steps ApolloGateway takes on a schema
 * update, through public APIs only. Yields to the event loop between the steps (so
 * requests are served in between); throws when the supergraph cannot be served.
 */
export async function buildServingState(supergraphSdl: string, options: ServingStateOptions): Promise<ServingState> {
  // Our own composition produced (and validated) every supergraph; validating again would
  // cost as much as the build.
  const supergraph = Supergraph.build(supergraphSdl, { validateSupergraph: false });
  await nextTurn();
  const supergraphSchema = supergraph.schema.toGraphQLJSSchema();
  await nextTurn();
  const apiSchema = supergraph.apiSchema();
  const schema = apiSchema.toGraphQLJSSchema();
  await nextTurn();
  const planner = new QueryPlanner(supergraph);
  const services: ServiceMap = Object.create(null);
  const subgraphs = new Set<string>();
  for (const subgraph of supergraph.subgraphsMetadata()) {
    services[subgraph.name] = options.dataSourceFor(subgraph);
    subgraphs.add(subgraph.name);
  }
  return {
    id: supergraphId(supergraphSdl),
    supergraphSdl,
    supergraphSchema,
    apiSchema,
    schema,
    planner,
    plans: new LRUCache({ max: options.planCacheSize ?? 1000 }),
    services,
    subgraphs,
  };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
