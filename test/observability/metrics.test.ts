import { startGateway, type RunningGateway } from '../../src/gateway/startGateway.js';
import { BoundedLabels } from '../../src/platform/metrics.js';
import { silentLogger } from '../../src/platform/logger.js';
import { gql } from '../helpers/graphql.js';
import { Backends } from '../helpers/servers.js';

/** Samples of a Prometheus text exposition: name, labels and value of every line. */
async function scrape(url: string) {
  const response = await fetch(`${url}/metrics`);
  expect(response.headers.get('content-type')).toMatch(/text\/plain/);
  const samples = (await response.text())
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [, name, labels = '', value] = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (.+)$/.exec(line)!;
      return {
        name,
        labels: Object.fromEntries([...labels.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]])),
        value: Number(value),
      };
    });
  /** The value of the sample with this name and at least these labels. */
  return (name: string, labels: Record<string, string> = {}) =>
    samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

describe('/metrics in every component', () => {
  const backends = new Backends();
  let gateway: RunningGateway;

  beforeAll(async () => {
    await backends.startAll();
    gateway = await startGateway({ config: backends.gatewayConfig(), logger: silentLogger });
    await gql(gateway.url, 'query Everything { customers { id invoices { id } } }');
    await gql(gateway.url, 'query Broken { nope }');
  });
  afterAll(async () => {
    await gateway?.close();
    await backends.stopAll();
  });

  test('the gateway: requests, subgraph fetches, availability, composition, schema version', async () => {
    const value = await scrape(gateway.url);
    expect(value('graphql_requests_total', { operation: 'Everything', outcome: 'success' })).toBe(1);
    // A name from a document that did not validate is the client's word, not an operation.
    expect(value('graphql_requests_total', { operation: 'Broken' })).toBeUndefined();
    expect(value('graphql_requests_total', { operation: 'invalid', outcome: 'graphql_validation_failed' })).toBe(1);
    expect(value('graphql_request_duration_seconds_count', { operation: 'Everything' })).toBe(1);
    expect(value('gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'customers' })).toBeGreaterThan(0);
    expect(value('gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'invoices' })).toBeGreaterThan(0);
    expect(value('gateway_subgraph_fetch_errors_total', { subgraph: 'invoices' })).toBeUndefined();
    expect(value('gateway_subgraph_available', { subgraph: 'customers', component: 'gateway' })).toBe(1);
    expect(value('gateway_compositions_total', { result: 'composed' })).toBeGreaterThan(0);
    expect(value('gateway_composition_duration_seconds_count')).toBeGreaterThan(0);
    expect(value('gateway_schema_version')).toBeGreaterThan(0);
    expect(value('gateway_kubernetes_watch_restarts')).toBe(0);
    expect(value('process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  test('the subgraphs, the gRPC client and the gRPC server', async () => {
    const customers = await scrape(backends.customers!.url);
    expect(customers('graphql_requests_total', { outcome: 'success', component: 'customers' })).toBeGreaterThan(0);
    const invoices = await scrape(backends.invoices!.url);
    const call = { method: 'ListInvoicesByCustomer', status: 'OK', component: 'invoices' };
    expect(invoices('grpc_client_duration_seconds_count', call)).toBe(1);
    const grpc = await scrape(backends.grpc!.metricsUrl!);
    expect(grpc('grpc_server_duration_seconds_count', { ...call, component: 'invoices-service' })).toBe(1);
  });
});

describe('BoundedLabels', () => {
  test('keeps the first names up to the length bound, then counts the rest as "other"', () => {
    const labels = new BoundedLabels(2, 3);
    expect(['A', 'LONG', 'B', 'C', 'A'].map((name) => labels.label(name))).toEqual(['A', 'other', 'B', 'other', 'A']);
  });
});

describe('the operation label under a flood of client-chosen names', () => {
  const backends = new Backends();
  let gateway: RunningGateway;

  beforeAll(async () => {
    await backends.startAll();
    const config = backends.gatewayConfig();
    config.server.metrics = { maxOperations: 5, maxOperationNameLength: 64 };
    gateway = await startGateway({ config, logger: silentLogger });
  });
  afterAll(async () => {
    await gateway?.close();
    await backends.stopAll();
  });

  const send = (body: Record<string, unknown>) =>
    fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then((response) => response.text());

  test('/metrics stays small: only validated, short names become labels, as many as server.metrics allows', async () => {
    // Names of operations that fail: as operationName, and in a document that does not validate.
    for (const huge of ['A', 'B'].map((prefix) => prefix + 'x'.repeat(200_000))) {
      await send({ query: '{ __typename }', operationName: huge });
      await send({ query: `query ${huge} { nope }` });
    }
    // Valid operations: one too long for a label, and more short names than the bound.
    await send({ query: `query ${'L'.repeat(65)} { __typename }` });
    for (let i = 0; i < 7; i++) await send({ query: `query Op${i} { __typename }` });

    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(text.length).toBeLessThan(1024 * 1024);
    const operations = new Set([...text.matchAll(/operation="([^"]*)"/g)].map((m) => m[1]!));
    expect(operations).toEqual(new Set(['invalid', 'other', 'Op0', 'Op1', 'Op2', 'Op3', 'Op4']));
    const value = await scrape(gateway.url);
    expect(value('graphql_requests_total', { operation: 'invalid', outcome: 'graphql_validation_failed' })).toBe(2);
    expect(value('graphql_requests_total', { operation: 'invalid', outcome: 'operation_resolution_failure' })).toBe(2);
    expect(value('graphql_requests_total', { operation: 'other', outcome: 'success' })).toBe(3);
  });
});
