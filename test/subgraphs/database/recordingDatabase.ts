import { pgliteDatabase } from '../../../subgraphs/shared/database/pgliteDatabase.js';
import type { Database } from '../../../subgraphs/shared/database/database.js';
import { silentLogger } from '../../../src/platform/logger.js';

/** A real in-memory database that remembers every statement run through `query`, with its parameters. */
export interface RecordingDatabase extends Database {
  readonly calls: { sql: string; params: readonly unknown[] }[];
}

/** An in-memory PGlite database whose queries are recorded: to see what a service asks of it (batching). */
export async function recordingDatabase(): Promise<RecordingDatabase> {
  const db = await pgliteDatabase({ logger: silentLogger });
  const calls: { sql: string; params: readonly unknown[] }[] = [];
  return {
    ...db,
    calls,
    query: <Row extends object>(sql: string, params: readonly unknown[] = []) => {
      calls.push({ sql, params });
      return db.query<Row>(sql, params);
    },
  };
}
