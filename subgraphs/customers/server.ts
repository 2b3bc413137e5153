import { buildSubgraphSchema } from '@apollo/subgraph';
import type { RunningHttpServer } from '../../src/platform/http/httpServer.js';
import { createRegistry } from '../../src/platform/metrics.js';
import { serveSubgraph, type SubgraphServerOptions } from '../shared/serveSubgraph.js';
import { CustomerStore } from './customerStore.js';
import { customerResolvers } from './resolvers.js';
import { typeDefs } from './typeDefs.js';

/** Starts the customers subgraph with a fresh seeded store. */
export async function startCustomersSubgraph(options: SubgraphServerOptions): Promise<RunningHttpServer> {
  const schema = buildSubgraphSchema({ typeDefs, resolvers: customerResolvers(new CustomerStore()) });
  return serveSubgraph(schema, { ...options, registry: createRegistry('customers') });
}
