import { CUSTOMER_MIGRATIONS } from '../../../subgraphs/customers/migrations.js';
import { INVOICE_MIGRATIONS } from '../../../subgraphs/invoices-service/migrations.js';
import type { Database } from '../../../subgraphs/shared/database/database.js';
import { migrate } from '../../../subgraphs/shared/database/migrate.js';
import { pgliteDatabase } from '../../../subgraphs/shared/database/pgliteDatabase.js';
import { silentLogger } from '../../../src/platform/logger.js';

describe('migrate (against PGlite)', () => {
  // One database for the file: each test works in schemas of its own.
  let db: Database;
  beforeAll(async () => {
    db = await pgliteDatabase({ logger: silentLogger });
  });
  afterAll(() => db?.close());

  const count = async (table: string) =>
    (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;

  test('applies every step once, in order; a second run finds nothing to do', async () => {
    expect(await migrate(db, CUSTOMER_MIGRATIONS)).toEqual(['0001_customers', '0002_seed']);
    expect(await migrate(db, CUSTOMER_MIGRATIONS)).toEqual([]);
    expect(await count('customers.customers')).toBe(3);
    expect(await db.query('SELECT id FROM customers.schema_migrations ORDER BY id')).toEqual([
      { id: '0001_customers' },
      { id: '0002_seed' },
    ]);
  });

  test('several at once: one applies, the others wait for its lock and find nothing to do', async () => {
    const runs = await Promise.all(Array.from({ length: 4 }, () => migrate(db, INVOICE_MIGRATIONS)));
    expect(runs.filter((applied) => applied.length > 0)).toEqual([['0001_invoices', '0002_seed']]);
    // Beside the customers schema of the test before: two services can share one database.
    expect([await count('invoices.invoices'), await count('customers.customers')]).toEqual([4, 3]);
  });

  test('a step that fails leaves nothing applied, not even the steps before it in the same run', async () => {
    const broken = {
      schema: 'broken',
      migrations: [
        { id: '0001_ok', sql: 'CREATE TABLE broken.t (a int)' },
        { id: '0002_bad', sql: 'INSERT INTO broken.t (nope) VALUES (1)' },
      ],
    };
    await expect(migrate(db, broken)).rejects.toThrow(/nope/);
    expect(await db.query("SELECT 1 FROM information_schema.schemata WHERE schema_name = 'broken'")).toEqual([]);
    // Fixed in a later release, the same ids apply then.
    const fixed = { ...broken, migrations: [broken.migrations[0]!, { id: '0002_bad', sql: 'SELECT 1' }] };
    expect(await migrate(db, fixed)).toEqual(['0001_ok', '0002_bad']);
  });

  test('refuses a schema name that is not a plain identifier', async () => {
    await expect(migrate(db, { schema: 'x; DROP TABLE y', migrations: [] })).rejects.toThrow(/invalid schema name/);
  });
});
