import { jest } from '@jest/globals';
import { StaticSource } from '../../src/sources/staticSource.js';
import { startGateway, type RunningGateway } from '../../src/gateway/startGateway.js';
import { silentLogger } from '../../src/platform/logger.js';
import { affordancesWhere, composed } from '../helpers/gateway.js';
import { Backends } from '../helpers/servers.js';
import { gatewayOverBackends } from '../helpers/gatewayFixture.js';

jest.setTimeout(30_000);

interface Outcome {
  status: number;
  codes: string[];
}

async function post(url: string, query: string): Promise<Outcome> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
  return { status: response.status, codes: (body.errors ?? []).map((e) => e.extensions?.code ?? 'NO_CODE') };
}

describe('schema swaps under load', () => {
  const source = new StaticSource({ customers: true, invoices: true });
  let gateway: RunningGateway;
  gatewayOverBackends({ sources: [source], started: (g) => (gateway = g) });

  test('requests in flight finish; none fails because of a swap, none gets a 5xx', async () => {
    let swapping = true;
    const unaffected: Outcome[] = [];
    const affected: Outcome[] = [];
    const worker = async () => {
      while (swapping) {
        const [a, b] = await Promise.all([
          post(gateway.url, '{ invoices { id amount } }'),
          post(gateway.url, '{ customers { id name } }'),
        ]);
        unaffected.push(a);
        affected.push(b);
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    // At least 15 swaps, and enough of them that many requests overlap one (bounded).
    for (let i = 0; i < 500 && (i < 15 || unaffected.length < 100); i++) {
      source.set('customers', false, 'taken down by the test');
      await affordancesWhere(gateway, composed('customers', false));
      source.set('customers', true);
      await affordancesWhere(gateway, composed('customers'));
    }
    swapping = false;
    await Promise.all(workers);

    expect(unaffected.length).toBeGreaterThanOrEqual(100);
    expect(unaffected.filter((o) => o.status !== 200 || o.codes.length > 0)).toEqual([]);
    expect(affected.filter((o) => o.status >= 500)).toEqual([]);
    // Every affected request either succeeded or got the friendly error, nothing else.
    const kinds = new Set(affected.map((o) => `${o.status} ${o.codes.join(',')}`));
    for (const kind of kinds) expect(['200 ', '400 OPERATION_UNAVAILABLE']).toContain(kind);
  });
});

describe('flap damping', () => {
  test('a subgraph that comes back is re-added only after the settle time', async () => {
    const backends = await new Backends().startAll();
    const source = new StaticSource({ customers: true, invoices: true });
    const gateway = await startGateway({
      config: backends.gatewayConfig({ settleMs: 300 }),
      logger: silentLogger,
      sources: [source],
    });
    try {
      source.set('customers', false);
      await affordancesWhere(gateway, composed('customers', false));
      const upAt = Date.now();
      source.set('customers', true);
      const settling = await affordancesWhere(gateway, (a) =>
        /settling until/.test(a.subgraphs.find((s) => s.name === 'customers')!.reason),
      );
      expect(composed('customers', false)(settling)).toBe(true);
      await affordancesWhere(gateway, composed('customers'));
      expect(Date.now() - upAt).toBeGreaterThanOrEqual(290);
    } finally {
      await gateway.close();
      await backends.stopAll();
    }
  });
});
