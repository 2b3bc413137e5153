import type { CreateInvoiceRequest } from '../../subgraphs/invoices-service/proto.js';
import { startInvoicesService, type RunningGrpcServer } from '../../subgraphs/invoices-service/server.js';
import { InvoicesClient } from '../../subgraphs/invoices/invoicesClient.js';
import { silentLogger } from '../../src/platform/logger.js';
import { grpcFailure, HealthCheckClient } from './grpcTestUtil.js';

const SERVICE_NAME = 'invoices.v1.InvoiceService';

const request = (overrides: Partial<CreateInvoiceRequest> = {}): CreateInvoiceRequest => ({
  customerId: '2',
  amountCents: 1999,
  currency: 'EUR',
  description: 'Test invoice',
  ...overrides,
});

describe('invoices gRPC service through InvoicesClient', () => {
  let service: RunningGrpcServer;
  let client: InvoicesClient;
  let health: HealthCheckClient;

  beforeAll(async () => {
    // A fresh seeded database in memory: inv-1, inv-2 (customer 1), inv-3 (customer 2), inv-4 (customer 3).
    service = await startInvoicesService({ port: 0, logger: silentLogger });
    client = new InvoicesClient({ address: service.address });
    health = new HealthCheckClient(service.address);
  });
  afterAll(async () => {
    client?.close();
    health?.close();
    await service?.close(0);
  });

  test('binds to loopback on a free port', () => {
    expect(service.port).toBeGreaterThan(0);
    expect(service.address).toBe(`127.0.0.1:${service.port}`);
  });

  describe('ListInvoicesByCustomer', () => {
    test('returns the invoices of several customers in one call, oldest first, with every field', async () => {
      const { invoices } = await client.listByCustomers({ customerIds: ['3', '1'] });
      expect(invoices.map((i) => [i.id, i.customerId])).toEqual([
        ['inv-1', '1'],
        ['inv-2', '1'],
        ['inv-4', '3'],
      ]);
      expect(invoices[0]).toEqual({
        id: 'inv-1',
        customerId: '1',
        amountCents: 12050,
        currency: 'EUR',
        status: 'INVOICE_STATUS_OPEN',
        description: 'Analytical engine maintenance',
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
      });
    });

    test('returns an empty list for a well-formed id without invoices', async () => {
      expect((await client.listByCustomers({ customerIds: ['42'] })).invoices).toEqual([]);
    });

    test('refuses no ids, a malformed id and more than 500 ids with INVALID_ARGUMENT naming customer_ids', async () => {
      expect(await grpcFailure(client.listByCustomers({ customerIds: [] }))).toEqual({
        code: 'INVALID_ARGUMENT',
        details: expect.stringMatching(/^customer_ids: /),
      });
      expect(await grpcFailure(client.listByCustomers({ customerIds: ['1', 'x'] }))).toEqual({
        code: 'INVALID_ARGUMENT',
        details: expect.stringMatching(/^customer_ids: "x" is not a customer id/),
      });
      const tooMany = Array.from({ length: 501 }, (_, i) => String(i + 1));
      expect(await grpcFailure(client.listByCustomers({ customerIds: tooMany }))).toEqual({
        code: 'INVALID_ARGUMENT',
        details: expect.stringMatching(/^customer_ids: at most 500/),
      });
      // 500 is still fine.
      expect(
        (await client.listByCustomers({ customerIds: tooMany.slice(0, 500) })).invoices.length,
      ).toBeGreaterThanOrEqual(4);
    });
  });

  describe('GetInvoice', () => {
    test('returns one invoice by id', async () => {
      expect(await client.get({ id: 'inv-3' })).toMatchObject({
        id: 'inv-3',
        customerId: '2',
        amountCents: 99900,
        currency: 'EUR',
        status: 'INVOICE_STATUS_OPEN',
        description: 'Compiler licence',
      });
    });

    test('an unknown id is NOT_FOUND, with the id in the details', async () => {
      const failure = await grpcFailure(client.get({ id: 'inv-999' }));
      expect(failure.code).toBe('NOT_FOUND');
      expect(failure.details).toContain('inv-999');
    });

    test('a malformed id is INVALID_ARGUMENT naming the id field', async () => {
      for (const id of ['abc', '', 'inv-0', 'inv-1x', '1']) {
        expect(await grpcFailure(client.get({ id }))).toEqual({
          code: 'INVALID_ARGUMENT',
          details: expect.stringMatching(/^id: .*is not an invoice id/),
        });
      }
    });
  });

  describe('CreateInvoice', () => {
    test.each<[string, Partial<CreateInvoiceRequest>, string]>([
      ['a negative amount', { amountCents: -100 }, 'amount_cents'],
      ['a zero amount', { amountCents: 0 }, 'amount_cents'],
      ['an amount above the maximum', { amountCents: 1_000_000_000_01 }, 'amount_cents'],
      ['a lower-case, long currency', { currency: 'euro' }, 'currency'],
      ['a two-letter currency', { currency: 'EU' }, 'currency'],
      ['a malformed customer id', { customerId: 'x' }, 'customer_id'],
      ['an empty customer id', { customerId: '' }, 'customer_id'],
      ['a description over 500 characters', { description: 'd'.repeat(501) }, 'description'],
    ])('refuses %s with INVALID_ARGUMENT naming the field', async (_name, overrides, field) => {
      const failure = await grpcFailure(client.create(request(overrides)));
      expect(failure.code).toBe('INVALID_ARGUMENT');
      expect(failure.details.startsWith(`${field}: `)).toBe(true);
    });

    // amount_cents is an int64 on the wire, which would silently drop the fraction: the client refuses it.
    test('refuses a non-integer amount with INVALID_ARGUMENT naming amount_cents', async () => {
      const failure = await grpcFailure(
        client.create(request({ customerId: '99', amountCents: 12.5, description: 'fraction' })),
      );
      expect(failure.code).toBe('INVALID_ARGUMENT');
      expect(failure.details.startsWith('amount_cents: ')).toBe(true);
    });

    test('a fraction of a cent below one is still refused (it arrives as 0)', async () => {
      const failure = await grpcFailure(client.create(request({ amountCents: 0.5 })));
      expect(failure.code).toBe('INVALID_ARGUMENT');
      expect(failure.details.startsWith('amount_cents: ')).toBe(true);
    });

    test('creates an OPEN invoice that is then gettable and listed for its customer', async () => {
      const created = await client.create(request({ customerId: '77', description: 'd'.repeat(500), currency: 'USD' }));
      expect(created).toEqual({
        id: expect.stringMatching(/^inv-\d+$/),
        customerId: '77',
        amountCents: 1999,
        currency: 'USD',
        status: 'INVOICE_STATUS_OPEN',
        description: 'd'.repeat(500),
        createdAt: expect.any(String),
      });
      expect(Number(created.id.slice(4))).toBeGreaterThan(4);
      expect(await client.get({ id: created.id })).toEqual(created);
      const { invoices } = await client.listByCustomers({ customerIds: ['77', '2'] });
      expect(invoices.map((i) => i.id)).toEqual(['inv-3', created.id]);
    });

    test('an empty currency defaults to EUR', async () => {
      const created = await client.create(request({ customerId: '99', currency: '' }));
      expect(created.currency).toBe('EUR');
    });
  });

  describe('grpc.health.v1 Health/Check', () => {
    test('answers SERVING for the server (""), for invoices.v1.InvoiceService and for its database', async () => {
      expect(await health.check('')).toBe('SERVING');
      expect(await health.check(SERVICE_NAME)).toBe('SERVING');
      expect(await health.check('database')).toBe('SERVING');
    });

    test('answers NOT_FOUND for a service it does not know', async () => {
      expect(await grpcFailure(health.check('no.such.Service'))).toMatchObject({ code: 'NOT_FOUND' });
    });
  });
});

describe('ListInvoices limits', () => {
  let service: RunningGrpcServer;
  let client: InvoicesClient;
  beforeAll(async () => {
    service = await startInvoicesService({ port: 0, logger: silentLogger });
    client = new InvoicesClient({ address: service.address });
    // 60 invoices with the 4 seeded ones, so the default page (50) is distinguishable from "everything".
    for (let i = 4; i < 60; i++)
      await client.create(request({ customerId: String((i % 3) + 1), amountCents: 100 + i }));
  });
  afterAll(async () => {
    client?.close();
    await service?.close(0);
  });

  test('limit 0 means the default of 50', async () => {
    const { invoices } = await client.list({ limit: 0 });
    expect(invoices).toHaveLength(50);
    expect(invoices[0]!.id).toBe('inv-1');
    expect(invoices[49]!.id).toBe('inv-50');
  });

  test('an explicit limit is honoured, oldest first', async () => {
    expect((await client.list({ limit: 2 })).invoices.map((i) => i.id)).toEqual(['inv-1', 'inv-2']);
    expect((await client.list({ limit: 500 })).invoices).toHaveLength(60);
  });

  test('limit 501 and a negative limit are INVALID_ARGUMENT naming limit', async () => {
    for (const limit of [501, -1]) {
      expect(await grpcFailure(client.list({ limit }))).toEqual({
        code: 'INVALID_ARGUMENT',
        details: expect.stringMatching(/^limit: must be between 1 and 500/),
      });
    }
  });
});

describe('invoices gRPC service close', () => {
  test('close resolves; then calls wait for a reconnect until their deadline, and health checks fail at once', async () => {
    const service = await startInvoicesService({ port: 0, logger: silentLogger });
    const client = new InvoicesClient({ address: service.address, deadlineMs: 300 });
    const health = new HealthCheckClient(service.address);
    try {
      // Both channels are connected before the close.
      expect((await client.get({ id: 'inv-1' })).id).toBe('inv-1');
      expect(await health.check(SERVICE_NAME)).toBe('SERVING');

      await expect(service.close()).resolves.toBeUndefined();

      expect((await grpcFailure(client.get({ id: 'inv-1' }))).code).toBe('DEADLINE_EXCEEDED');
      expect((await grpcFailure(health.check(SERVICE_NAME))).code).toBe('UNAVAILABLE');
    } finally {
      client.close();
      health.close();
      await service.close(0);
    }
  });
});
