import type { Logger } from '../../../src/platform/logger.js';
import type { Database } from './database.js';
import { DatabaseHealth } from './databaseHealth.js';
import { migrate, type MigrationSet } from './migrate.js';
import { IN_MEMORY, openDatabase } from './openDatabase.js';

/** Where a demo service keeps its data: a place to open (see DATABASE_FORMS), or a database its caller opened and closes. */
export type DatabaseOption = string | Database;

/** A service's database as it runs, with its health; `close` (once, however often called) closes the database only if it was opened here. */
export interface ServiceDatabase {
  readonly db: Database;
  readonly health: DatabaseHealth;
  close(): Promise<void>;
}

/**
 * A demo service's database as it starts: opened (default in memory), its migrations
 * applied under their lock, and followed by a health that keeps retrying them while the
 * database cannot be reached. Resolves after the first attempt, whether the database
 * answered or not: a service on a server that is down starts unavailable and becomes
 * available when the server is there.
 */
export async function serviceDatabase(
  where: DatabaseOption | undefined,
  migrations: MigrationSet,
  logger: Logger,
): Promise<ServiceDatabase> {
  const opened = typeof where === 'object' ? undefined : await openDatabase(where ?? IN_MEMORY, logger);
  const db = opened ?? (where as Database);
  const health = new DatabaseHealth({
    db,
    logger,
    prepare: async () => {
      const applied = await migrate(db, migrations);
      logger.info({ database: db.description, schema: migrations.schema, applied }, 'database migrated');
    },
  });
  await health.start();
  let closed: Promise<void> | undefined;
  return {
    db,
    health,
    close: () => {
      health.stop();
      closed ??= opened?.close() ?? Promise.resolve();
      return closed;
    },
  };
}
