import type { Database } from '../../../subgraphs/shared/database/database.js';
import { pgliteDatabase } from '../../../subgraphs/shared/database/pgliteDatabase.js';
import { silentLogger } from '../../../src/platform/logger.js';

const schemas = (db: Database) =>
  db.query<{ name: string }>(
    "SELECT nspname AS name FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' ORDER BY 1",
  );

describe('an in-memory embedded database (PGlite on its own thread)', () => {
  test('starts empty, also when its thread held one before (emptied for reuse instead of made anew)', async () => {
    const first = await pgliteDatabase({ logger: silentLogger });
    await first.exec(
      'CREATE SCHEMA kept; CREATE TABLE kept.t (a int); CREATE TABLE public.p (a int); INSERT INTO kept.t VALUES (1)',
    );
    expect(await schemas(first)).toEqual([{ name: 'kept' }, { name: 'public' }]);
    await first.close();
    const second = await pgliteDatabase({ logger: silentLogger });
    try {
      expect(await schemas(second)).toEqual([{ name: 'public' }]);
      expect(await second.query("SELECT 1 FROM pg_tables WHERE schemaname = 'public'")).toEqual([]);
    } finally {
      await second.close();
    }
  });

  test('a transaction commits when its work resolves and rolls back when it throws; other statements wait for it', async () => {
    const db = await pgliteDatabase({ logger: silentLogger });
    try {
      await db.exec('CREATE TABLE public.t (a int)');
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const tx = db.transaction(async (q) => {
        await q.query('INSERT INTO public.t VALUES ($1)', [1]);
        await held;
        return 'committed';
      });
      // Queued behind the transaction (one connection): it sees the row once committed.
      const after = db.query<{ n: number }>('SELECT count(*)::int AS n FROM public.t');
      release();
      expect(await tx).toBe('committed');
      expect(await after).toEqual([{ n: 1 }]);
      await expect(
        db.transaction(async (q) => {
          await q.query('INSERT INTO public.t VALUES ($1)', [2]);
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      expect(await db.query('SELECT a FROM public.t')).toEqual([{ a: 1 }]);
      await expect(db.query('SELECT nope FROM public.t')).rejects.toMatchObject({ code: '42703' });
    } finally {
      await db.close();
    }
  });
});
