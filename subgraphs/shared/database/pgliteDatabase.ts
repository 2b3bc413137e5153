import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../../src/platform/logger.js';
import type { Database, Queryable } from './database.js';
import { lockFolder } from './folderLock.js';
import { acquirePgliteThread } from './pgliteThread.js';

export interface PgliteDatabaseOptions {
  /** Folder of the data files (created on first use); none: in memory, gone on close. */
  folder?: string;
  logger: Logger;
}

/**
 * PostgreSQL embedded in this process (PGlite, WebAssembly), on a worker thread of its own
 * (pgliteThread.ts), so its synchronous steps never hold up the service's requests. There
 * is no server: the database is one process's alone, so a folder is locked while open (see
 * `lockFolder`), and locally each demo service has a folder of its own. PGlite has one
 * connection: statements run one at a time, and a transaction holds the database from
 * BEGIN to COMMIT (others wait for it).
 */
export async function pgliteDatabase(options: PgliteDatabaseOptions): Promise<Database> {
  const { folder, logger } = options;
  const release = folder === undefined ? () => {} : lockFolder(folder);
  if (folder !== undefined && !existsSync(join(folder, 'PG_VERSION'))) {
    logger.info({ folder }, 'creating the embedded database (first start)');
  }
  const thread = acquirePgliteThread();
  try {
    await thread.request({ op: 'open', folder });
  } catch (error) {
    thread.release();
    release();
    throw error;
  }
  const direct: Queryable = {
    query: async <Row extends object>(sql: string, params: readonly unknown[] = []) =>
      (await thread.request({ op: 'query', sql, params })) as Row[],
    exec: async (sql: string) => void (await thread.request({ op: 'exec', sql })),
  };
  // One connection: whatever is not in the running transaction waits for it to end.
  let turn = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const result = turn.then(work);
    turn = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  };
  let closed: Promise<void> | undefined;
  return {
    description: folder === undefined ? 'PGlite in memory' : `PGlite in ${folder}`,
    query: (sql, params) => exclusive(() => direct.query(sql, params)),
    exec: (sql) => exclusive(() => direct.exec(sql)),
    transaction: (work) =>
      exclusive(async () => {
        await direct.exec('BEGIN');
        try {
          const result = await work(direct);
          await direct.exec('COMMIT');
          return result;
        } catch (error) {
          await direct.exec('ROLLBACK').catch(() => {});
          throw error;
        }
      }),
    close: () =>
      (closed ??= exclusive(async () => {
        try {
          await thread.request({ op: 'close' });
        } finally {
          thread.release();
          release();
        }
      })),
  };
}
