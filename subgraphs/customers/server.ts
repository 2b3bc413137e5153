import { buildSubgraphSchema } from '@apollo/subgraph';
import { createRegistry } from '../../src/platform/metrics.js';
import { serveSubgraph, type SubgraphServer, type SubgraphServerOptions } from '../shared/serveSubgraph.js';
import { CustomerStore } from './customerStore.js';
import { customerResolvers } from './resolvers.js';
import { typeDefs, typeDefsV2, type SchemaVersion } from './typeDefs.js';

export interface CustomersServerOptions extends SubgraphServerOptions {
  /** The schema version served first. Default 1. */
  schemaVersion?: SchemaVersion;
}

/**
 * Starts the customers subgraph with a fresh seeded store, able to serve either schema
 * version (`serveVersion(0 | 1)`), both over the same store.
 */
export async function startCustomersSubgraph(options: CustomersServerOptions): Promise<SubgraphServer> {
  const resolvers = customerResolvers(new CustomerStore());
  const schemas = [typeDefs, typeDefsV2].map((document) => buildSubgraphSchema({ typeDefs: document, resolvers }));
  const server = await serveSubgraph(schemas, { ...options, registry: createRegistry('customers') });
  server.serveVersion((options.schemaVersion ?? 1) - 1);
  return server;
}
