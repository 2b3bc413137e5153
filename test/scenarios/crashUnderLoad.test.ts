import { jest } from '@jest/globals';
import { validateConfig } from '../../src/config/load.js';
import { startGateway, type RunningGateway } from '../../src/gateway/startGateway.js';
import { silentLogger } from '../../src/platform/logger.js';
import { affordancesWhere, composed } from '../helpers/gateway.js';
import { Backends } from '../helpers/servers.js';

jest.setTimeout(90_000);

const QUERIES = {
  customers: '{ customers { id name } }',
  invoices: '{ invoices { id amount } }',
  both: '{ customers { id invoices { id } } }',
} as const;
type Query = keyof typeof QUERIES;
/** What was down while a request ran; 'overlap' when a phase began or ended during it. */
type Phase = 'steady' | 'customers down' | 'grpc down' | 'overlap';

interface Sample {
  query: Query;
  phase: Phase;
  status: number;
  codes: string[];
  ms: number;
}

const SUBGRAPH_TIMEOUT_MS = 1000;

describe('crashes under steady load', () => {
  const backends = new Backends();
  let gateway: RunningGateway;
  beforeAll(async () => {
    await backends.startAll();
    const base = backends.gatewayConfig();
    const config = validateConfig({ ...base, subgraphRequests: { timeoutMs: SUBGRAPH_TIMEOUT_MS } });
    gateway = await startGateway({ config, logger: silentLogger });
  });
  afterAll(async () => {
    await gateway?.close();
    await backends.stopAll();
  });

  test('kill and restart customers and the gRPC service three times each: only what they serve fails, clearly', async () => {
    let phase: Phase = 'steady';
    let epoch = 0;
    let running = true;
    const samples: Sample[] = [];
    const worker = async (query: Query) => {
      while (running) {
        const [startPhase, startEpoch] = [phase, epoch];
        const started = performance.now();
        const response = await fetch(`${gateway.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: QUERIES[query] }),
        });
        const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
        const codes = (body.errors ?? []).map((e) => e.extensions?.code ?? 'NO_CODE');
        const tagged = epoch === startEpoch ? startPhase : 'overlap';
        samples.push({ query, phase: tagged, status: response.status, codes, ms: performance.now() - started });
      }
    };
    const workers = (['customers', 'invoices', 'both'] as const).flatMap((q) => [worker(q), worker(q)]);
    const heap: number[] = [];
    const cycle = async (name: Phase, crash: () => Promise<void>, restart: () => Promise<void>, subgraph: string) => {
      [phase, epoch] = [name, epoch + 1];
      await crash();
      await affordancesWhere(gateway, composed(subgraph, false));
      await restart();
      await affordancesWhere(gateway, composed(subgraph));
      [phase, epoch] = ['steady', epoch + 1];
      globalThis.gc?.();
      heap.push(process.memoryUsage().heapUsed);
    };
    for (let i = 0; i < 3; i++) {
      await cycle(
        'customers down',
        () => backends.crashCustomers(),
        () => backends.startCustomers(),
        'customers',
      );
      await cycle(
        'grpc down',
        () => backends.crashGrpc(),
        () => backends.startGrpc(),
        'invoices',
      );
    }
    running = false;
    await Promise.all(workers);

    const failed = (s: Sample) => s.status !== 200 || s.codes.length > 0;
    // Untouched operations never fail.
    expect(samples.filter((s) => s.phase === 'customers down' && s.query === 'invoices' && failed(s))).toEqual([]);
    expect(samples.filter((s) => s.phase === 'grpc down' && s.query === 'customers' && failed(s))).toEqual([]);
    expect(samples.filter((s) => s.phase === 'steady' && failed(s))).toEqual([]);
    // Affected ones fail with one of the two clear codes, and never with a 5xx.
    const codes = new Set(samples.flatMap((s) => s.codes));
    for (const code of codes) expect(['OPERATION_UNAVAILABLE', 'BACKEND_UNAVAILABLE']).toContain(code);
    expect(samples.filter((s) => s.status >= 500)).toEqual([]);
    // Nothing hangs past the subgraph deadline (plus generous slack for a loaded machine).
    expect(Math.max(...samples.map((s) => s.ms))).toBeLessThan(SUBGRAPH_TIMEOUT_MS + 4000);
    // Outages were actually exercised.
    expect(
      samples.filter((s) => s.phase === 'customers down' && s.query === 'customers' && failed(s)).length,
    ).toBeGreaterThan(0);
    expect(
      samples.filter((s) => s.phase === 'grpc down' && s.query !== 'customers' && failed(s)).length,
    ).toBeGreaterThan(0);
    // Memory does not grow from cycle to cycle (generous: the heap is noisy).
    expect(heap[heap.length - 1]! - heap[0]!).toBeLessThan(40 * 1024 * 1024);
  });
});
