import { Kind, parse, type ObjectTypeDefinitionNode } from 'graphql';
import { Server, ServerCredentials, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { InvoiceServiceClient } from '../../subgraphs/invoices-service/proto.js';
import { startInvoicesService, type RunningGrpcServer } from '../../subgraphs/invoices-service/server.js';
import { startInvoicesSubgraph } from '../../subgraphs/invoices/server.js';
import type { RunningHttpServer } from '../../src/platform/http/httpServer.js';
import { silentLogger } from '../../src/platform/logger.js';
import { gql, type GraphQLResponse } from '../helpers/graphql.js';
import { recordingDatabase, type RecordingDatabase } from './database/recordingDatabase.js';

const INVOICE_FIELDS = 'id amount currency status description createdAt customer { id }';

/** The single error of a response that must have failed, with its code and message. */
function onlyError(result: GraphQLResponse) {
  expect(result.errors).toHaveLength(1);
  return result.errors![0]!;
}

describe('invoices subgraph over HTTP, real gRPC service behind it', () => {
  let db: RecordingDatabase;
  let service: RunningGrpcServer;
  /** What the table holds for an invoice id: exact cents, as stored. */
  const storedCents = async (id: string) =>
    (
      await db.query<{ cents: string }>('SELECT amount_cents::text AS cents FROM invoices.invoices WHERE id = $1', [
        id.slice('inv-'.length),
      ])
    )[0]?.cents;
  const invoiceCount = async () =>
    (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM invoices.invoices'))[0]!.n;
  let subgraph: RunningHttpServer;

  /** A good query answers after whatever the test did: the subgraph and service stayed up. */
  const expectStillServing = async () => {
    const result = await gql<{ invoice: { id: string; amount: number } }>(
      subgraph.url,
      '{ invoice(id: "inv-2") { id amount } }',
    );
    expect(result).toEqual({ status: 200, data: { invoice: { id: 'inv-2', amount: 42 } } });
  };

  beforeAll(async () => {
    db = await recordingDatabase();
    service = await startInvoicesService({ port: 0, logger: silentLogger, database: db });
    subgraph = await startInvoicesSubgraph({ port: 0, logger: silentLogger, grpcAddress: service.address });
  });
  afterAll(async () => {
    await subgraph?.close();
    await service?.close(0);
    await db?.close();
  });

  describe('queries', () => {
    test('invoice(id) returns the invoice with amount in units, status without prefix, customer key', async () => {
      const result = await gql(subgraph.url, `{ invoice(id: "inv-1") { ${INVOICE_FIELDS} } }`);
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual({
        invoice: {
          id: 'inv-1',
          amount: 120.5,
          currency: 'EUR',
          status: 'OPEN',
          description: 'Analytical engine maintenance',
          createdAt: expect.any(String),
          customer: { id: '1' },
        },
      });
    });

    test('invoices lists oldest first, default page and explicit first', async () => {
      const all = await gql<{ invoices: { id: string; amount: number }[] }>(subgraph.url, '{ invoices { id amount } }');
      expect(all.errors).toBeUndefined();
      expect(all.data!.invoices.slice(0, 4)).toEqual([
        { id: 'inv-1', amount: 120.5 },
        { id: 'inv-2', amount: 42 },
        { id: 'inv-3', amount: 999 },
        { id: 'inv-4', amount: 314 },
      ]);
      const two = await gql<{ invoices: { id: string }[] }>(subgraph.url, '{ invoices(first: 2) { id } }');
      expect(two.data!.invoices).toEqual([{ id: 'inv-1' }, { id: 'inv-2' }]);
    });

    // limit 0 means "default" to the service, so the subgraph checks the range itself.
    test('invoices(first: 0) is BAD_USER_INPUT naming first', async () => {
      const result = await gql(subgraph.url, '{ invoices(first: 0) { id } }');
      expect(onlyError(result).extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
    });

    test('invoices(first: 501) is BAD_USER_INPUT', async () => {
      const error = onlyError(await gql(subgraph.url, '{ invoices(first: 501) { id } }'));
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
      await expectStillServing();
    });
  });

  describe('createInvoice', () => {
    test('createInvoice(customerId: "1", amount: 120.50) returns amount 120.5, OPEN, EUR, and is then queryable', async () => {
      const result = await gql<{ createInvoice: { id: string } & Record<string, unknown> }>(
        subgraph.url,
        `mutation { createInvoice(customerId: "1", amount: 120.50) { ${INVOICE_FIELDS} } }`,
      );
      expect(result.errors).toBeUndefined();
      const created = result.data!.createInvoice;
      expect(created).toEqual({
        id: expect.stringMatching(/^inv-\d+$/),
        amount: 120.5,
        currency: 'EUR',
        status: 'OPEN',
        description: '',
        createdAt: expect.any(String),
        customer: { id: '1' },
      });
      // Stored as exact integer cents.
      expect(await storedCents(created.id)).toBe('12050');
      const read = await gql(subgraph.url, `query($id: ID!) { invoice(id: $id) { ${INVOICE_FIELDS} } }`, {
        id: created.id,
      });
      expect(read.data).toEqual({ invoice: created });
    });

    test('amounts with two decimals that are inexact in binary round to the right cents', async () => {
      const result = await gql<{ createInvoice: { id: string; amount: number } }>(
        subgraph.url,
        'mutation($a: Float!) { createInvoice(customerId: "2", amount: $a, currency: "USD", description: "x") { id amount currency } }',
        { a: 0.29 },
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!.createInvoice).toMatchObject({ amount: 0.29, currency: 'USD' });
      expect(await storedCents(result.data!.createInvoice.id)).toBe('29');
    });

    // Large amounts are beyond any fixed float tolerance; the check must be exact.
    test('a valid two-decimal amount of 148122873.14 is accepted as 14812287314 cents', async () => {
      const result = await gql<{ createInvoice: { id: string; amount: number } }>(
        subgraph.url,
        'mutation($a: Float!) { createInvoice(customerId: "3", amount: $a) { id amount } }',
        { a: 148122873.14 },
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!.createInvoice.amount).toBe(148122873.14);
      expect(await storedCents(result.data!.createInvoice.id)).toBe('14812287314');
    });

    test.each([
      ['a negative amount', -5],
      ['a zero amount', 0],
    ])('%s is BAD_USER_INPUT in the units the client used, before any gRPC call', async (_name, amount) => {
      const result = await gql(
        subgraph.url,
        'mutation($a: Float!) { createInvoice(customerId: "1", amount: $a) { id } }',
        {
          a: amount,
        },
      );
      const error = onlyError(result);
      expect(error.message).toBe(`amount: must be positive, got ${amount}`);
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'amount' });
      expect(error.extensions).not.toHaveProperty('grpcStatus');
    });

    test.each<[string, string, RegExp, string]>([
      ['an invalid customer id', 'customerId: "x", amount: 10', /^customerId: "x" is not a customer id/, 'customerId'],
      ['an invalid currency', 'customerId: "1", amount: 10, currency: "euro"', /^currency: /, 'currency'],
    ])(
      '%s: INVALID_ARGUMENT becomes BAD_USER_INPUT naming the GraphQL argument',
      async (_name, args, message, argument) => {
        const result = await gql(subgraph.url, `mutation { createInvoice(${args}) { id } }`);
        expect(result.status).toBe(200);
        expect(result.data).toBeNull();
        const error = onlyError(result);
        expect(error.message).toMatch(message);
        expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', grpcStatus: 'INVALID_ARGUMENT', argument });
        await expectStillServing();
      },
    );

    test.each([1.234, 0.001, 10.005])(
      'amount %p (more than two decimals) is BAD_USER_INPUT naming amount',
      async (amount) => {
        const before = await invoiceCount();
        const result = await gql(
          subgraph.url,
          'mutation($a: Float!) { createInvoice(customerId: "1", amount: $a) { id } }',
          {
            a: amount,
          },
        );
        const error = onlyError(result);
        expect(error.message).toMatch(/^amount: .*more than two decimals/);
        expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'amount' });
        // Refused at the GraphQL edge: nothing reached the store.
        expect(await invoiceCount()).toBe(before);
        await expectStillServing();
      },
    );
  });

  describe('lookups that fail', () => {
    test('invoice(id: "inv-999"): NOT_FOUND becomes NOT_FOUND, invoice is null', async () => {
      const result = await gql(subgraph.url, '{ invoice(id: "inv-999") { id } }');
      expect(result.data).toEqual({ invoice: null });
      const error = onlyError(result);
      expect(error.message).toContain('inv-999');
      expect(error.extensions).toMatchObject({ code: 'NOT_FOUND', grpcStatus: 'NOT_FOUND' });
      await expectStillServing();
    });

    test('invoice(id: "abc"): INVALID_ARGUMENT becomes BAD_USER_INPUT', async () => {
      const result = await gql(subgraph.url, '{ invoice(id: "abc") { id } }');
      expect(result.data).toEqual({ invoice: null });
      expect(onlyError(result).extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
      await expectStillServing();
    });
  });

  describe('federation', () => {
    const ENTITIES =
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id invoices { id } } } }';

    test('_entities resolves the invoices of several customers in one batched gRPC call', async () => {
      db.calls.length = 0;
      const representations = ['1', '2', '3', '42'].map((id) => ({ __typename: 'Customer', id }));
      const result = await gql(subgraph.url, ENTITIES, { r: representations });
      expect(result.errors).toBeUndefined();
      const entities = (result.data as { _entities: { id: string; invoices: { id: string }[] }[] })._entities;
      expect(entities.map((c) => c.id)).toEqual(['1', '2', '3', '42']);
      expect(entities[0]!.invoices.slice(0, 2)).toEqual([{ id: 'inv-1' }, { id: 'inv-2' }]);
      expect(entities[1]!.invoices[0]).toEqual({ id: 'inv-3' });
      // Earlier tests may have added invoices for customer 3; its seeded one comes first.
      expect(entities[2]!.invoices[0]).toEqual({ id: 'inv-4' });
      expect(entities[3]!.invoices).toEqual([]);
      expect(db.calls.filter((c) => c.sql.includes('customer_id = ANY')).map((c) => c.params[0])).toEqual([
        ['1', '2', '3', '42'],
      ]);
    });

    test('_entities resolves Invoice references through GetInvoice', async () => {
      const result = await gql(
        subgraph.url,
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on Invoice { id amount } } }',
        { r: [{ __typename: 'Invoice', id: 'inv-4' }] },
      );
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual({ _entities: [{ id: 'inv-4', amount: 314 }] });
    });

    test('_service { sdl } declares Customer as an entity keyed by id', async () => {
      const result = await gql<{ _service: { sdl: string } }>(subgraph.url, '{ _service { sdl } }');
      expect(result.errors).toBeUndefined();
      // The printer puts directives on their own lines; compare with whitespace collapsed.
      const sdl = result.data!._service.sdl.replace(/\s+/g, ' ');
      expect(sdl).toContain('type Customer @key(fields: "id") {');
      expect(sdl).toContain('type Invoice @key(fields: "id") {');
      // And as a document: Customer here carries only its key and invoices.
      const customer = parse(result.data!._service.sdl).definitions.find(
        (d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === 'Customer',
      );
      expect(customer?.fields?.map((f) => f.name.value)).toEqual(['id', 'invoices']);
    });
  });
});

/** Serves the invoices service on `server` with `handler` for every method; its port. */
function serveEveryMethod(server: Server, handler: () => void): Promise<number> {
  const handlers: UntypedServiceImplementation = {
    ListInvoicesByCustomer: handler,
    ListInvoices: handler,
    GetInvoice: handler,
    CreateInvoice: handler,
  };
  server.addService(InvoiceServiceClient.service, handlers);
  return new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
}

describe('invoices subgraph when the gRPC service is down', () => {
  // Calls wait for the channel to reconnect (a restart is usually brief), up to their deadline.
  test('gRPC service stopped: BACKEND_UNAVAILABLE at the deadline asking to retry; the subgraph still answers', async () => {
    const service = await startInvoicesService({ port: 0, logger: silentLogger });
    const subgraph = await startInvoicesSubgraph({
      port: 0,
      logger: silentLogger,
      grpcAddress: service.address,
      grpcDeadlineMs: 300,
    });
    try {
      expect((await gql(subgraph.url, '{ invoice(id: "inv-1") { id } }')).data).toEqual({ invoice: { id: 'inv-1' } });
      await service.close(0);

      for (const query of [
        '{ invoice(id: "inv-1") { id } }',
        'mutation { createInvoice(customerId: "1", amount: 1) { id } }',
      ]) {
        const result = await gql(subgraph.url, query);
        expect(result.status).toBe(200);
        const error = onlyError(result);
        expect(error.extensions).toMatchObject({ code: 'BACKEND_UNAVAILABLE', grpcStatus: 'DEADLINE_EXCEEDED' });
        expect(error.message).toBe(
          'the invoices service is unavailable (DEADLINE_EXCEEDED: no answer in time); retry later',
        );
      }
      const sdl = await gql<{ _service: { sdl: string } }>(subgraph.url, '{ _service { sdl } }');
      expect(sdl.data!._service.sdl).toContain('type Invoice');
    } finally {
      await subgraph.close();
      await service.close(0);
    }
  });

  test('a gRPC service that never answers: DEADLINE_EXCEEDED becomes BACKEND_UNAVAILABLE, without hanging', async () => {
    const stalled = new Server();
    let received = 0;
    const neverAnswer = () => {
      received++;
    };
    const port = await serveEveryMethod(stalled, neverAnswer);
    const subgraph = await startInvoicesSubgraph({
      port: 0,
      logger: silentLogger,
      grpcAddress: `127.0.0.1:${port}`,
      grpcDeadlineMs: 200,
    });
    try {
      for (const query of [
        '{ invoice(id: "inv-1") { id } }',
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { invoices { id } } } }',
      ]) {
        const started = performance.now();
        const result = await gql(subgraph.url, query, { r: [{ __typename: 'Customer', id: '1' }] });
        const elapsed = performance.now() - started;
        const error = onlyError(result);
        expect(error.extensions).toMatchObject({ code: 'BACKEND_UNAVAILABLE', grpcStatus: 'DEADLINE_EXCEEDED' });
        expect(error.message).toMatch(/^the invoices service is unavailable \(DEADLINE_EXCEEDED: .*\); retry later$/);
        expect(elapsed).toBeGreaterThanOrEqual(150);
        expect(elapsed).toBeLessThan(5000);
      }
      // The calls did reach the stalled server: the failure is the deadline, not a refused connection.
      expect(received).toBe(2);
    } finally {
      await subgraph.close();
      stalled.forceShutdown();
    }
  });

  test('a gRPC service that goes away in the middle of a call: BACKEND_UNAVAILABLE, not an internal error', async () => {
    const dying = new Server();
    let received: () => void = () => {};
    const reached = new Promise<void>((resolve) => (received = resolve));
    const hang = () => received();
    const port = await serveEveryMethod(dying, hang);
    const subgraph = await startInvoicesSubgraph({
      port: 0,
      logger: silentLogger,
      grpcAddress: `127.0.0.1:${port}`,
      grpcDeadlineMs: 5000,
    });
    try {
      const pending = gql(subgraph.url, '{ invoice(id: "inv-1") { id } }');
      await reached;
      // What a crash of the service does to the calls it is serving: grpc-js reports CANCELLED.
      dying.forceShutdown();
      const error = onlyError(await pending);
      expect(error.extensions).toMatchObject({ code: 'BACKEND_UNAVAILABLE', grpcStatus: 'CANCELLED' });
      expect(error.message).toMatch(/^the invoices service is unavailable \(CANCELLED: .*\); retry later$/);
    } finally {
      await subgraph.close();
    }
  });
});
