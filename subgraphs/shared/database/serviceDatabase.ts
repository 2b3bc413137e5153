import type { Logger } from '../../../src/platform/logger.js';
import { DatabaseUnavailable, type Database } from './database.js';
import { DatabaseHealth } from './databaseHealth.js';
import { migrate, type MigrationSet } from './migrate.js';
import { IN_MEMORY, openDatabase } from './openDatabase.js';

/** Where a demo service keeps its data: a place to open (see DATABASE_FORMS), or a database its caller opened and closes. */
export type DatabaseOption = string | Database;

/** A service's database as it runs, with its health; `close` (once, however often called) closes the database only if it was opened here. */
export interface ServiceDatabase {
  /** The database for the service's queries: while its health says it is unavailable, they fail at once. */
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
    db: gated(db, health),
    health,
    close: () => {
      health.stop();
      closed ??= opened?.close() ?? Promise.resolve();
      return closed;
    },
  };
}

/**
 * `db` that refuses work at once while `health` says the database is unavailable: a call
 * does not wait for a connection timeout against a server known to be down. Callers check
 * their arguments first, so a client's mistake is still reported as one.
 */
function gated(db: Database, health: DatabaseHealth): Database {
  const open = () => {
    const status = health.current();
    if (!status.available) throw new DatabaseUnavailable(status.reason);
  };
  return {
    description: db.description,
    query: async (sql, params) => {
      open();
      return db.query(sql, params);
    },
    exec: async (sql) => {
      open();
      return db.exec(sql);
    },
    transaction: async (work) => {
      open();
      return db.transaction(work);
    },
    close: () => db.close(),
  };
}
