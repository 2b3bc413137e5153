import type { Database } from './database.js';

/** One step of a schema's history; never edited once released: a change is a new step. */
export interface Migration {
  /** Sorts in the order steps apply, e.g. `0001_customers`. */
  readonly id: string;
  /** Statements separated by `;`, naming their tables with the schema (`customers.customers`). */
  readonly sql: string;
}

/** The migrations of one service: its own schema, so two services can share one database. */
export interface MigrationSet {
  /** A plain lower-case SQL identifier. */
  readonly schema: string;
  readonly migrations: readonly Migration[];
}

/**
 * Applies the steps of `set` that the database has not seen, in order, and returns their
 * ids. All of it is one transaction under an advisory lock on the schema's name, so when
 * several replicas start at once one applies the steps and the others wait, then find
 * nothing to do; a step that fails leaves nothing half done (PostgreSQL's DDL is
 * transactional).
 */
export async function migrate(db: Database, set: MigrationSet): Promise<string[]> {
  const { schema } = set;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name ${JSON.stringify(schema)}`);
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`affordance-gateway migrations ${schema}`]);
    await tx.exec(
      `CREATE SCHEMA IF NOT EXISTS ${schema};
       CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (
         id text PRIMARY KEY,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const applied = new Set(
      (await tx.query<{ id: string }>(`SELECT id FROM ${schema}.schema_migrations`)).map((row) => row.id),
    );
    const pending = [...set.migrations].sort((a, b) => a.id.localeCompare(b.id)).filter((m) => !applied.has(m.id));
    for (const migration of pending) {
      await tx.exec(migration.sql);
      await tx.query(`INSERT INTO ${schema}.schema_migrations (id) VALUES ($1)`, [migration.id]);
    }
    return pending.map((m) => m.id);
  });
}
