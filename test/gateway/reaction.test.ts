import { buildSubgraphSchema } from '@apollo/subgraph';
import { jest } from '@jest/globals';
import { parse } from 'graphql';
import { serveSubgraph } from '../../subgraphs/shared/serveSubgraph.js';
import { StaticSource } from '../../src/sources/staticSource.js';
import { validateConfig } from '../../src/config/load.js';
import { startGateway, type RunningGateway } from '../../src/gateway/startGateway.js';
import type { RunningHttpServer } from '../../src/platform/http/httpServer.js';
import { silentLogger } from '../../src/platform/logger.js';
import { affordancesWhere, composed } from '../helpers/gateway.js';
import { gql } from '../helpers/graphql.js';
import { gatewayOverBackends } from '../helpers/gatewayFixture.js';

jest.setTimeout(30_000);

/** The value of a series on the gateway's /metrics, by name and some of its labels; 0 when absent. */
async function metric(gateway: RunningGateway, name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(`${gateway.url}/metrics`)).text();
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${name}{`) && wanted.every((label) => l.slice(0, l.indexOf('}')).includes(label)));
  return line ? Number(line.split(' ').pop()) : 0;
}

const compositions = (gateway: RunningGateway, result: 'composed' | 'cached') =>
  metric(gateway, 'gateway_compositions_total', { result });
describe('reacting to availability changes', () => {
  const source = new StaticSource({ customers: true, invoices: true });
  let gateway: RunningGateway;
  gatewayOverBackends({ sources: [source], started: (g) => (gateway = g) });

  test('composes the sets one change away in the background, so a change composes nothing', async () => {
    await gateway.manager.whenPrecomposed();
    const composedBefore = await compositions(gateway, 'composed');
    source.set('invoices', false);
    await affordancesWhere(gateway, composed('invoices', false));
    expect(await compositions(gateway, 'composed')).toBe(composedBefore);
    expect((await gql(gateway.url, '{ customers { name } }')).errors).toBeUndefined();
    source.set('invoices', true);
    await affordancesWhere(gateway, composed('invoices'));
  });

  test('a swap back to a supergraph served before reuses its schema, and it still answers', async () => {
    const before = gateway.served.get()!;
    source.set('customers', false);
    await affordancesWhere(gateway, composed('customers', false));
    const down = gateway.served.get()!;
    expect(down.apiSchema).not.toBe(before.apiSchema);
    expect(down.subgraphs.has('customers')).toBe(false);

    source.set('customers', true);
    await affordancesWhere(gateway, composed('customers'));
    const back = gateway.served.get()!;
    expect(back.apiSchema).toBe(before.apiSchema);
    expect(back.generation).toBeGreaterThan(down.generation);
    const result = await gql<{ customers: { invoices: { id: string }[] }[] }>(
      gateway.url,
      '{ customers { id invoices { id } } }',
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.customers[0]!.invoices.length).toBeGreaterThan(0);
  });
});

describe('identical queries in flight', () => {
  let calls = { slow: 0, bump: 0 };
  let subgraph: RunningHttpServer;
  let gateway: RunningGateway;

  beforeAll(async () => {
    const typeDefs = parse(`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])
      type Query { slow(n: Int!): Int! }
      type Mutation { bump: Int! }
    `);
    const resolvers = {
      Query: {
        slow: async (_: unknown, { n }: { n: number }) => {
          calls.slow++;
          await new Promise((resolve) => setTimeout(resolve, 150));
          return n;
        },
      },
      Mutation: { bump: () => ++calls.bump },
    };
    subgraph = await serveSubgraph(buildSubgraphSchema({ typeDefs, resolvers }), { port: 0, logger: silentLogger });
    const config = validateConfig({
      server: { port: 0 },
      limits: { rateLimit: false },
      subgraphs: { slow: { url: `${subgraph.url}/graphql` } },
    });
    gateway = await startGateway({ config, logger: silentLogger, sources: [new StaticSource({ slow: true })] });
  });
  afterAll(async () => {
    await gateway?.close();
    await subgraph?.close();
  });
  beforeEach(() => (calls = { slow: 0, bump: 0 }));

  test('share one subgraph fetch, and each client gets its own complete answer', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => gql(gateway.url, '{ slow(n: 7) }')));
    expect(results.map((r) => r.data)).toEqual(Array.from({ length: 8 }, () => ({ slow: 7 })));
    expect(calls.slow).toBe(1);
    // Different arguments are different fetches.
    await Promise.all([gql(gateway.url, '{ slow(n: 1) }'), gql(gateway.url, '{ slow(n: 2) }')]);
    expect(calls.slow).toBe(3);
  });

  test('are not shared when they are mutations', async () => {
    const results = await Promise.all(Array.from({ length: 4 }, () => gql(gateway.url, 'mutation { bump }')));
    expect(results.map((r) => r.errors)).toEqual([undefined, undefined, undefined, undefined]);
    expect(calls.bump).toBe(4);
  });
});
