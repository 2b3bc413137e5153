import { jest } from '@jest/globals';
import { startGateway, type RunningGateway } from '../../src/gateway/startGateway.js';
import { silentLogger } from '../../src/platform/logger.js';
import { affordancesWhere, availableNames, composed, unavailableNames } from '../helpers/gateway.js';
import { gql } from '../helpers/graphql.js';
import { Backends } from '../helpers/servers.js';

jest.setTimeout(20_000);

const CROSS_SUBGRAPH = '{ customers { id name invoices { id amount status } } }';
const rootFields = async (url: string) => {
  const result = await gql<{ __schema: { queryType: { fields: { name: string }[] } } }>(
    url,
    '{ __schema { queryType { fields { name } } } }',
  );
  return result.data!.__schema.queryType.fields.map((f) => f.name).sort();
};

describe('gateway over real subgraphs, probe source', () => {
  const backends = new Backends();
  let gateway: RunningGateway;

  beforeAll(async () => {
    await backends.startAll();
    gateway = await startGateway({ config: backends.gatewayConfig(), logger: silentLogger });
  });
  afterAll(async () => {
    await gateway?.close();
    await backends.stopAll();
  });

  test('answers a query across both subgraphs (invoices come from the gRPC service)', async () => {
    const result = await gql<{ customers: { id: string; invoices: { id: string; amount: number }[] }[] }>(
      gateway.url,
      CROSS_SUBGRAPH,
    );
    expect(result.errors).toBeUndefined();
    const ada = result.data!.customers.find((c) => c.id === '1')!;
    expect(ada.invoices).toEqual([
      { id: 'inv-1', amount: 120.5, status: 'OPEN' },
      { id: 'inv-2', amount: 42, status: 'OPEN' },
    ]);
  });

  test('lists every operation as available, with a runnable example', async () => {
    const { data } = await gql<{ affordances: { available: { name: string; subgraph: string; example: string }[] } }>(
      gateway.url,
      '{ affordances { available { name kind subgraph example arguments { name type defaultValue } } unavailable { name } } }',
    );
    const byName = new Map(data!.affordances.available.map((op) => [op.name, op]));
    expect([...byName.keys()].sort()).toEqual(
      ['affordances', 'createCustomer', 'createInvoice', 'customer', 'customers', 'invoice', 'invoices'].sort(),
    );
    expect(byName.get('createInvoice')).toMatchObject({ subgraph: 'invoices', kind: 'MUTATION' });
    const example = byName.get('customer')!.example;
    const run = await gql<{ customer: { name: string } }>(gateway.url, example, { id: '2' });
    expect(run.data?.customer.name).toBe('Grace Hopper');
  });

  test('drops customers when it stops and composes it back when it returns', async () => {
    await backends.stopCustomers();
    const down = await affordancesWhere(gateway, composed('customers', false));
    expect(availableNames(down)).not.toContain('customers');
    expect(unavailableNames(down)).toEqual(['createCustomer', 'customer', 'customers']);
    const reason = down.unavailable.find((op) => op.name === 'customers')!.reason;
    expect(reason).toBe('subgraph customers is unavailable: http customers: connection refused');
    expect(await rootFields(gateway.url)).not.toContain('customers');

    // The invoices subgraph still answers, and Invoice.customer still resolves its key.
    const invoices = await gql<{ invoices: { id: string; customer: { id: string } }[] }>(
      gateway.url,
      '{ invoices { id customer { id } } }',
    );
    expect(invoices.errors).toBeUndefined();
    expect(invoices.data!.invoices[0]!.customer.id).toBe('1');

    const refused = await gql(gateway.url, CROSS_SUBGRAPH);
    expect(refused.errors).toEqual([
      expect.objectContaining({
        extensions: expect.objectContaining({
          code: 'OPERATION_UNAVAILABLE',
          coordinate: 'Query.customers',
          subgraph: 'customers',
        }),
      }),
    ]);
    expect(refused.errors![0]!.message).toMatch(/subgraph customers is down .*Query `affordances`/);

    await backends.startCustomers();
    const up = await affordancesWhere(gateway, composed('customers'));
    expect(up.unavailable).toEqual([]);
    expect(await rootFields(gateway.url)).toContain('customers');
    expect((await gql(gateway.url, CROSS_SUBGRAPH)).errors).toBeUndefined();
  });

  test('drops invoices when its gRPC backend stops, though its own process is up', async () => {
    await backends.stopGrpc();
    const down = await affordancesWhere(gateway, composed('invoices', false));
    const status = down.subgraphs.find((s) => s.name === 'invoices')!;
    expect(status.reason).toBe('grpc invoices-service: UNAVAILABLE (connection refused)');
    expect(status.checks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ source: 'probe', id: 'http invoices', ok: true, backend: undefined }),
        expect.objectContaining({
          source: 'probe',
          id: 'grpc invoices-service',
          ok: false,
          backend: 'invoices-service',
        }),
      ]),
    );
    expect(unavailableNames(down)).toEqual(['createInvoice', 'invoice', 'invoices']);

    const nested = await gql(gateway.url, CROSS_SUBGRAPH);
    expect(nested.errors![0]!.extensions).toMatchObject({
      code: 'OPERATION_UNAVAILABLE',
      coordinate: 'Customer.invoices',
      subgraph: 'invoices',
    });
    const customersOnly = await gql(gateway.url, '{ customers { id name } }');
    expect(customersOnly.errors).toBeUndefined();

    await backends.startGrpc();
    await affordancesWhere(gateway, composed('invoices'));
    expect((await gql(gateway.url, CROSS_SUBGRAPH)).errors).toBeUndefined();
  });

  test('names the unavailable type of a variable and keeps unrelated errors', async () => {
    await backends.stopInvoices();
    await affordancesWhere(gateway, composed('invoices', false));
    const result = await gql(gateway.url, 'query ($s: InvoiceStatus) { invoices { id } }');
    const [first, second, other] = result.errors!;
    expect([first, second].map((e) => e!.extensions?.code)).toEqual(['OPERATION_UNAVAILABLE', 'OPERATION_UNAVAILABLE']);
    expect([first, second].map((e) => e!.extensions?.coordinate).sort()).toEqual(['InvoiceStatus', 'Query.invoices']);
    // An error the outage does not explain is kept.
    expect(other).toMatchObject({ message: 'Variable "$s" is never used.' });
    await backends.startInvoices();
    await affordancesWhere(gateway, composed('invoices'));
  });

  test('keeps other validation errors as they are', async () => {
    const result = await gql(gateway.url, '{ customers { nope } }');
    expect(result.status).toBe(400);
    expect(result.errors![0]!.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('gateway start-up with subgraphs down', () => {
  test('starts with customers down and adds it when it comes up', async () => {
    const backends = await new Backends().reservePorts();
    await backends.startGrpc();
    await backends.startInvoices();
    const gateway = await startGateway({ config: backends.gatewayConfig(), logger: silentLogger });
    try {
      const first = gateway.affordances.get()!.affordances;
      expect(composed('customers', false)(first)).toBe(true);
      expect(availableNames(first)).toEqual(['affordances', 'createInvoice', 'invoice', 'invoices']);
      await backends.startCustomers();
      const up = await affordancesWhere(gateway, composed('customers'));
      expect(availableNames(up)).toContain('createCustomer');
    } finally {
      await gateway.close();
      await backends.stopAll();
    }
  });

  test('starts with everything down, serving only affordances, then grows', async () => {
    const backends = await new Backends().reservePorts();
    const gateway = await startGateway({ config: backends.gatewayConfig(), logger: silentLogger });
    try {
      expect(await rootFields(gateway.url)).toEqual(['affordances']);
      const { data } = await gql<{
        affordances: { subgraphs: { name: string; available: boolean; reason: string }[] };
      }>(gateway.url, '{ affordances { subgraphs { name available reason } } }');
      expect(data!.affordances.subgraphs).toEqual([
        { name: 'customers', available: false, reason: 'http customers: connection refused' },
        {
          name: 'invoices',
          available: false,
          reason: 'http invoices: connection refused; grpc invoices-service: UNAVAILABLE (connection refused)',
        },
      ]);
      await backends.startAll();
      await affordancesWhere(gateway, (a) => composed('customers')(a) && composed('invoices')(a));
      expect((await gql(gateway.url, CROSS_SUBGRAPH)).errors).toBeUndefined();
    } finally {
      await gateway.close();
      await backends.stopAll();
    }
  });
});
