import { jest } from '@jest/globals';
import { CUSTOMER_MIGRATIONS } from '../../../../subgraphs/customers/migrations.js';
import { InvoicesClient } from '../../../../subgraphs/invoices/invoicesClient.js';
import { migrate } from '../../../../subgraphs/shared/database/migrate.js';
import { postgresDatabase } from '../../../../subgraphs/shared/database/postgresDatabase.js';
import type { RunningGateway } from '../../../../src/gateway/startGateway.js';
import { silentLogger } from '../../../../src/platform/logger.js';
import { affordancesWhere } from '../../../helpers/gateway.js';
import { gql } from '../../../helpers/graphql.js';
import { gatewayOverServices } from '../gatewayOverServices.js';
import { describeWithPostgres, PASSWORD, PostgresServer, ROLE } from './postgresServer.js';
import { ServiceProcess, type LogLine } from './serviceProcess.js';

jest.setTimeout(60_000);

const REPLICAS = 3;
const migrated = (line: LogLine) => line.msg === 'database migrated';
const databaseUnavailable = (line: LogLine) => line.msg.startsWith('database unavailable');
const databaseAvailable = (line: LogLine) => line.msg === 'database available';

/**
 * The demo services as the cluster runs them: several processes of each on one real
 * PostgreSQL server (Debian's, in a temporary directory), logging in with the password
 * from PGPASSWORD as the manifests give it. The tests run in order on the same server.
 */
describeWithPostgres('the demo services on a real PostgreSQL server', () => {
  const server = new PostgresServer();
  let customers: ServiceProcess[] = [];
  let services: ServiceProcess[] = [];
  let clients: InvoicesClient[] = [];
  let url: string;

  const count = (table: string) =>
    server.admin(
      async (c) => (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n,
      'shop',
    );
  const createCustomer = (at: ServiceProcess, email: string) =>
    gql<{ createCustomer: { id: string } }>(
      at.address,
      'mutation($email: String!) { createCustomer(name: "Replicated", email: $email) { id } }',
      { email },
    );

  beforeAll(async () => {
    await server.start();
    url = await server.createDatabase('shop');
  });
  afterAll(async () => {
    clients.forEach((c) => c.close());
    await Promise.all([...customers, ...services].map((p) => p.kill()));
    await server[Symbol.asyncDispose]();
  });

  test('migrations started at the same instant on separate connections: one applies them, the others wait for its lock', async () => {
    const race = (await server.createDatabase('race')).replace(`${ROLE}@`, `${ROLE}:${PASSWORD}@`);
    const dbs = Array.from({ length: 5 }, () => postgresDatabase({ url: race, logger: silentLogger }));
    try {
      // Without the lock these race: CREATE TABLE or the seed's unique email fails in all but one.
      const runs = await Promise.all(dbs.map((db) => migrate(db, CUSTOMER_MIGRATIONS)));
      expect(runs.filter((applied) => applied.length > 0)).toEqual([['0001_customers', '0002_seed']]);
      expect(await dbs[0]!.query('SELECT count(*)::int AS n FROM customers.customers')).toEqual([{ n: 3 }]);
    } finally {
      await Promise.all(dbs.map((db) => db.close()));
    }
  });

  test('replicas starting together migrate once: one applies the steps, the others find them applied', async () => {
    const env = { PGPASSWORD: PASSWORD };
    customers = Array.from({ length: REPLICAS }, () => new ServiceProcess('customers', url, env));
    services = Array.from({ length: REPLICAS }, () => new ServiceProcess('invoices-service', url, env));
    await Promise.all([...customers, ...services].map((p) => p.start()));
    clients = services.map((s) => new InvoicesClient({ address: s.address, deadlineMs: 5000 }));

    const applied = (processes: ServiceProcess[]) =>
      processes.map((p) => p.logged(migrated).map((line) => line.applied)).flat();
    expect(applied(customers).sort()).toEqual([[], [], ['0001_customers', '0002_seed']]);
    expect(applied(services).sort()).toEqual([[], [], ['0001_invoices', '0002_seed']]);
    expect([await count('customers.customers'), await count('invoices.invoices')]).toEqual([3, 4]);
    expect([await count('customers.schema_migrations'), await count('invoices.schema_migrations')]).toEqual([2, 2]);
  });

  test('what one replica writes, another reads: customers over HTTP, invoices over gRPC', async () => {
    const created = await createCustomer(customers[0]!, 'one@example.com');
    expect(created.errors).toBeUndefined();
    const id = created.data!.createCustomer.id;
    const read = await gql(customers[1]!.address, `{ customer(id: "${id}") { email } }`);
    expect(read.data).toEqual({ customer: { email: 'one@example.com' } });
    // The unique email holds across replicas: the database decides, not a replica's memory.
    const again = await createCustomer(customers[2]!, 'ONE@example.com');
    expect(again.errors?.[0]).toMatchObject({
      message: 'email: a customer with email "ONE@example.com" already exists',
      extensions: { code: 'BAD_USER_INPUT', argument: 'email' },
    });

    const invoice = await clients[1]!.create({ customerId: id, amountCents: 12345, currency: 'EUR', description: '' });
    expect(await clients[2]!.get({ id: invoice.id })).toEqual(invoice);
    expect((await clients[0]!.listByCustomers({ customerIds: [id] })).invoices).toEqual([invoice]);
  });

  test('concurrent createInvoice calls across the replicas lose nothing: every one stored, ids unique, cents exact', async () => {
    const before = await count('invoices.invoices');
    const calls = Array.from({ length: 150 }, (_, i) =>
      clients[i % REPLICAS]!.create({ customerId: '3', amountCents: 101 + i, currency: 'EUR', description: `#${i}` }),
    );
    const created = await Promise.all(calls);
    expect(new Set(created.map((invoice) => invoice.id)).size).toBe(150);
    expect(await count('invoices.invoices')).toBe(before + 150);
    const stored = await server.admin(
      async (c) =>
        (
          await c.query<{ sum: string }>(
            "SELECT sum(amount_cents)::text AS sum FROM invoices.invoices WHERE description LIKE '#%'",
          )
        ).rows[0]!.sum,
      'shop',
    );
    // 101 + 102 + … + 250, exactly.
    expect(stored).toBe(String((150 * (101 + 250)) / 2));
  });

  test('a restart keeps the data: of a service process, and of the database server after a crash', async () => {
    const created = await createCustomer(customers[0]!, 'kept@example.com');
    const id = created.data!.createCustomer.id;
    await customers[2]!.kill();
    await customers[2]!.start();
    expect((await gql(customers[2]!.address, `{ customer(id: "${id}") { email } }`)).data).toEqual({
      customer: { email: 'kept@example.com' },
    });

    const replicas = [...customers, ...services];
    const marks = replicas.map((p) => p.mark);
    await server.kill();
    // Each replica says when it finds its database gone (its health checks every second), then when it is back.
    await Promise.all(replicas.map((p, i) => p.next(databaseUnavailable, marks[i])));
    await server.start();
    await Promise.all(replicas.map((p, i) => p.next(databaseAvailable, marks[i])));
    expect((await gql(customers[1]!.address, `{ customer(id: "${id}") { email } }`)).data).toEqual({
      customer: { email: 'kept@example.com' },
    });
    expect(await count('invoices.invoices')).toBeGreaterThanOrEqual(155);
  });

  describe('through a real gateway', () => {
    let gateway: RunningGateway;
    beforeAll(async () => {
      gateway = await gatewayOverServices(customers[0]!.address, services[0]!.address);
    });
    afterAll(() => gateway?.close());

    const both = ['customers', 'invoices'];
    const subgraph = (a: Awaited<ReturnType<typeof affordancesWhere>>, name: string) =>
      a.subgraphs.find((s) => s.name === name)!;

    test('killing the database drops customers and invoices, naming it; its return re-adds both', async () => {
      await affordancesWhere(gateway, (a) => both.every((name) => subgraph(a, name).available));
      const kept = await gql(gateway.url, '{ customers(first: 500) { email invoices { id } } }');
      expect(kept.errors).toBeUndefined();

      await server.kill();
      const down = await affordancesWhere(gateway, (a) =>
        both.every((name) => !subgraph(a, name).available && !subgraph(a, name).composed),
      );
      expect(subgraph(down, 'customers').reason).toBe('http customers: answered HTTP 503: database unavailable');
      expect(subgraph(down, 'invoices').reason).toBe(
        'grpc invoices-service: reports NOT_SERVING: database unavailable',
      );
      const refused = await gql(gateway.url, '{ customers { id } }');
      expect(refused.errors?.[0]?.extensions).toMatchObject({
        code: 'OPERATION_UNAVAILABLE',
        reason: 'http customers: answered HTTP 503: database unavailable',
      });

      await server.start();
      await affordancesWhere(gateway, (a) => both.every((name) => subgraph(a, name).available));
      expect(await gql(gateway.url, '{ customers(first: 500) { email invoices { id } } }')).toEqual(kept);
    });
  });
});
