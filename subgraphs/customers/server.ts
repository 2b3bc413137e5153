import { buildSubgraphSchema } from '@apollo/subgraph';
import { createRegistry } from '../../src/platform/metrics.js';
import { serviceDatabase, type DatabaseOption } from '../shared/database/serviceDatabase.js';
import { databaseUnavailableError } from '../shared/database/databaseUnavailableError.js';
import { serveSubgraph, type SubgraphServer, type SubgraphServerOptions } from '../shared/serveSubgraph.js';
import { CustomerStore } from './customerStore.js';
import { CUSTOMER_MIGRATIONS } from './migrations.js';
import { customerResolvers } from './resolvers.js';
import { typeDefs, typeDefsV2, type SchemaVersion } from './typeDefs.js';

export interface CustomersServerOptions extends SubgraphServerOptions {
  /** The schema version served first. Default 1. */
  schemaVersion?: SchemaVersion;
  /** Where the customers are kept (see DATABASE_FORMS). Default: in memory, gone on close. */
  database?: DatabaseOption;
}

/**
 * Starts the customers subgraph over its database (migrated at start), able to serve
 * either schema version (`serveVersion(0 | 1)`), both over the same store. While the
 * database is unavailable the subgraph is not ready and answers 503, naming it.
 */
export async function startCustomersSubgraph(options: CustomersServerOptions): Promise<SubgraphServer> {
  const { logger } = options;
  const database = await serviceDatabase(options.database, CUSTOMER_MIGRATIONS, logger);
  const { db, health } = database;
  const resolvers = customerResolvers({ store: new CustomerStore(db), health, logger });
  const schemas = [typeDefs, typeDefsV2].map((document) => buildSubgraphSchema({ typeDefs: document, resolvers }));
  const server = await serveSubgraph(schemas, {
    ...options,
    registry: createRegistry('customers'),
    unavailable: () => {
      const status = health.current();
      return status.available ? undefined : databaseUnavailableError('customers', status.reason);
    },
  });
  server.serveVersion((options.schemaVersion ?? 1) - 1);
  return {
    ...server,
    close: async (graceMs?: number) => {
      await server.close(graceMs);
      await database.close();
    },
  };
}
