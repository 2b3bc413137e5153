import { resolve } from 'node:path';
import type { Logger } from '../../../src/platform/logger.js';
import type { Database } from './database.js';

/** What `--database` / `DATABASE_URL` accepts, for help texts. */
export const DATABASE_FORMS =
  'postgres://user@host:port/db (a PostgreSQL server; the password from PGPASSWORD), ' +
  'a folder (an embedded PGlite database kept there), or memory: (embedded, gone on exit)';

/** The in-memory embedded database: what a service gets when nothing else is said. */
export const IN_MEMORY = 'memory:';

/**
 * Opens the database `where` names (see `DATABASE_FORMS`); each driver is loaded only when
 * used, so a service on a server never loads PGlite's WebAssembly.
 */
export async function openDatabase(where: string, logger: Logger): Promise<Database> {
  if (/^postgres(ql)?:\/\//.test(where)) {
    const { postgresDatabase } = await import('./postgresDatabase.js');
    return postgresDatabase({ url: where, logger });
  }
  const { pgliteDatabase } = await import('./pgliteDatabase.js');
  return pgliteDatabase({ folder: where === IN_MEMORY ? undefined : resolve(where), logger });
}
