import { join, resolve } from 'node:path';

/**
 * Where the local stack keeps the demo services' data: `AG_DATA_DIR`, else `.data` in the
 * current directory (the project, under `npm start`; git-ignored). Each service has a
 * folder of its own there, holding an embedded PostgreSQL (PGlite) database that only one
 * process may open: `customers/` and `invoices-service/`.
 */
export function localDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.AG_DATA_DIR || '.data');
}

/** The folder of one service's database in the data directory. */
export const serviceDataDir = (dataDir: string, service: 'customers' | 'invoices-service') => join(dataDir, service);
