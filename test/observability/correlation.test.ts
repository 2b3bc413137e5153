import { jest } from '@jest/globals';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { startGateway, type RunningGateway } from '../../src/gateway/startGateway.js';
import { setupTracing } from '../../src/platform/tracingSetup.js';
import { CapturedLogs } from '../helpers/capturedLogs.js';
import { Backends } from '../helpers/servers.js';

jest.setTimeout(20_000);

const COMPONENTS = ['gateway', 'customers', 'invoices', 'invoices-service'];
const CROSS_SUBGRAPH = '{ customers { id invoices { id } } }';

describe('one request across all four components', () => {
  const logs = new CapturedLogs();
  const backends = new Backends(logs.loggerFor);
  const exporter = new InMemorySpanExporter();
  let stopTracing: () => Promise<void>;
  let gateway: RunningGateway;

  beforeAll(async () => {
    stopTracing = setupTracing({ serviceName: 'test', exporter });
    await backends.startAll();
    gateway = await startGateway({ config: backends.gatewayConfig(), logger: logs.loggerFor('gateway') });
  });
  afterAll(async () => {
    await gateway?.close();
    await backends.stopAll();
    await stopTracing();
  });

  const send = (headers: Record<string, string>, query = CROSS_SUBGRAPH) =>
    fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });

  test('the request id reaches every process and is on their log lines for it', async () => {
    const response = await send({ 'x-request-id': 'corr-4711' });
    expect(response.status).toBe(200);
    for (const component of COMPONENTS) {
      const lines = logs.of(component).filter((line) => line.requestId === 'corr-4711');
      expect({ component, logged: lines.length > 0 }).toEqual({ component, logged: true });
      expect(lines.every((line) => line.component === component)).toBe(true);
    }
  });

  test('one trace spans the gateway, its planning, both subgraph fetches and the gRPC call', async () => {
    exporter.reset();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    // A query not planned before, so the trace includes planning.
    const response = await send(
      { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      '{ customers { name invoices { id } } }',
    );
    expect(response.status).toBe(200);
    // Spans end asynchronously after the response on the subgraph side; the gRPC server span is the last.
    const spans = () => exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
    for (let i = 0; i < 50 && !spans().some((s) => s.name.startsWith('grpc') && s.kind === 1); i++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    const names = spans().map((span) => span.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'POST /graphql', // gateway, customers and invoices server spans
        'gateway.request',
        'gateway.plan',
        'gateway.fetch',
        'grpc invoices.v1.InvoiceService/ListInvoicesByCustomer',
      ]),
    );
    expect(names.filter((name) => name === 'POST /graphql')).toHaveLength(3);
    expect(names.filter((name) => name === 'gateway.fetch').length).toBeGreaterThanOrEqual(2);
    const grpc = spans().filter((span) => span.name.startsWith('grpc'));
    expect(grpc.map((span) => span.kind).sort()).toEqual([1, 2]); // SERVER, CLIENT
  });
});
