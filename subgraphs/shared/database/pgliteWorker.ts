import { PGlite } from '@electric-sql/pglite';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { PgliteFailure, PgliteReply, PgliteRequest } from './pgliteMessages.js';
import { pgliteTemplate } from './pgliteTemplate.js';

/**
 * A thread that runs one embedded database at a time (see pgliteThread.ts), answering its
 * requests in order. A new database, in memory or in a new folder, starts from the
 * template (a fraction of what initdb costs).
 */
const port = parentPort!;
let db: PGlite | undefined;
let queue = Promise.resolve();

async function handle(request: PgliteRequest): Promise<readonly object[] | undefined> {
  if (request.op === 'open') {
    const { folder } = request;
    const existing = folder !== undefined && existsSync(join(folder, 'PG_VERSION'));
    db = await PGlite.create(folder, existing ? {} : { loadDataDir: await pgliteTemplate() });
    return undefined;
  }
  if (!db) throw new Error('the embedded database is not open');
  if (request.op === 'query') return (await db.query<object>(request.sql, [...request.params])).rows;
  if (request.op === 'exec') return void (await db.exec(request.sql));
  const closing = db;
  db = undefined;
  await closing.close();
  return undefined;
}

const failure = (error: unknown): PgliteFailure => {
  const { message, code } = error as { message?: unknown; code?: unknown };
  return { message: String(message ?? error), ...(typeof code === 'string' && { code }) };
};

port.on('message', (request: PgliteRequest) => {
  queue = queue.then(async () => {
    let reply: PgliteReply;
    try {
      reply = { id: request.id, ok: true, rows: await handle(request) };
    } catch (error) {
      reply = { id: request.id, ok: false, error: failure(error) };
    }
    port.postMessage(reply);
  });
});
