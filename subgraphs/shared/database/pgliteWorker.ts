import { PGlite } from '@electric-sql/pglite';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { PgliteFailure, PgliteReply, PgliteRequest } from './pgliteMessages.js';
import { pgliteTemplate } from './pgliteTemplate.js';

/**
 * A thread that runs one embedded database at a time (see pgliteThread.ts), answering its
 * requests in order. A new database, in memory or in a new folder, starts from the
 * template (a fraction of what initdb costs). An in-memory database that closes is kept,
 * and the next one opened here is that one emptied (every schema dropped and `public` made
 * anew): what a fresh one would hold, without the second of CPU a new PGlite costs, which a
 * service restarting in a busy test process would take from everything else.
 */
const port = parentPort!;
let db: PGlite | undefined;
let inMemory = false;
let closedInMemory: PGlite | undefined;
let queue = Promise.resolve();

async function open(folder: string | undefined): Promise<PGlite> {
  if (folder === undefined && closedInMemory) {
    const reused = closedInMemory;
    closedInMemory = undefined;
    await empty(reused);
    return reused;
  }
  const existing = folder !== undefined && existsSync(join(folder, 'PG_VERSION'));
  return PGlite.create(folder, existing ? {} : { loadDataDir: await pgliteTemplate() });
}

/** Drops everything a user made: every schema but PostgreSQL's own, and public's content. */
async function empty(target: PGlite): Promise<void> {
  const { rows } = await target.query<{ name: string }>(
    "SELECT nspname AS name FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'",
  );
  const quoted = rows.map((r) => `"${r.name.replaceAll('"', '""')}"`);
  await target.exec(`${quoted.map((q) => `DROP SCHEMA ${q} CASCADE;`).join('')} CREATE SCHEMA public;`);
}

async function handle(request: PgliteRequest): Promise<readonly object[] | undefined> {
  if (request.op === 'open') {
    db = await open(request.folder);
    inMemory = request.folder === undefined;
    return undefined;
  }
  if (!db) throw new Error('the embedded database is not open');
  if (request.op === 'query') return (await db.query<object>(request.sql, [...request.params])).rows;
  if (request.op === 'exec') return void (await db.exec(request.sql));
  const closing = db;
  db = undefined;
  if (inMemory && !closedInMemory) closedInMemory = closing;
  else await closing.close();
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
