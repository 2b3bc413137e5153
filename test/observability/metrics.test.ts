import { startGateway, type RunningGateway } from '../../src/gateway/startGateway.js';
import { OperationLabels } from '../../src/platform/metrics.js';
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
    expect(value('graphql_requests_total', { operation: 'Broken', outcome: 'graphql_validation_failed' })).toBe(1);
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

describe('OperationLabels', () => {
  test('keeps the first names, then counts the rest as "other"', () => {
    const labels = new OperationLabels(2);
    expect(['A', 'B', 'C', 'A', null].map((name) => labels.label(name))).toEqual(['A', 'B', 'other', 'A', 'anonymous']);
  });
});
