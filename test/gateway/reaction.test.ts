import { buildSubgraphSchema } from '@apollo/subgraph';
import { jest } from '@jest/globals';
import { parse } from 'graphql';
import { serveSubgraph } from '../../subgraphs/shared/serveSubgraph.js';
import { StaticSource } from '../../src/sources/staticSource.js';
import { validateConfig } from '../../src/config/load.js';
import type { GatewayConfig } from '../../src/config/schema.js';
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
const builds = (gateway: RunningGateway, when: 'swap' | 'deferred') =>
  metric(gateway, 'gateway_schema_build_duration_seconds_count', { when });

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

describe('a subgraph going down, served before its supergraph is built', () => {
  // Three subgraphs: `catalog` lists items; `left` and `right` can both resolve their score.
  const calls = { left: 0, right: 0 };
  const servers: RunningHttpServer[] = [];
  const source = new StaticSource({ catalog: true, left: true, right: true });
  let config: GatewayConfig;
  let gateway: RunningGateway;

  const scoring = (name: 'left' | 'right', extra = '') =>
    buildSubgraphSchema({
      typeDefs: parse(`
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@shareable"])
        type Item @key(fields: "id") { id: ID! score: Int @shareable }
        type Query { ${name}Only: Int ${extra} }
      `),
      resolvers: {
        Item: {
          __resolveReference: ({ id }: { id: string }) => {
            calls[name]++;
            return { id, score: Number(id) * 10 };
          },
        },
        Query: { [`${name}Only`]: () => 1, extra: () => 2 },
      },
    });

  beforeAll(async () => {
    const catalog = buildSubgraphSchema({
      typeDefs: parse(`
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])
        type Item @key(fields: "id") { id: ID! }
        type Query { items: [Item!]! }
      `),
      resolvers: { Query: { items: () => [{ id: '1' }, { id: '2' }] } },
    });
    const subgraphs: Record<string, { url: string }> = {};
    for (const [name, schema] of Object.entries({ catalog, left: scoring('left'), right: scoring('right') })) {
      const server = await serveSubgraph(schema, { port: 0, logger: silentLogger });
      servers.push(server);
      subgraphs[name] = { url: `${server.url}/graphql` };
    }
    config = validateConfig({ server: { port: 0 }, limits: { rateLimit: false }, subgraphs });
    gateway = await startGateway({
      config,
      logger: silentLogger,
      sources: [source],
      // Nothing built ahead, and no build on a timer: only a query that needs a plan builds.
      swaps: { prebuildBelowChars: 0, buildAfterMs: 3_600_000 },
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await Promise.all(servers.map((server) => server.close()));
  });

  test('drops its fields at once, answers on cached plans, and builds when a plan needs a removed subgraph', async () => {
    const scores = '{ items { id score } }';
    expect((await gql(gateway.url, scores)).data).toEqual({
      items: [
        { id: '1', score: 10 },
        { id: '2', score: 20 },
      ],
    });
    expect((await gql(gateway.url, '{ items { id } }')).errors).toBeUndefined();
    // The planner picked one of the two for `score`: that one goes down.
    const used = calls.left > 0 ? 'left' : 'right';
    const other = used === 'left' ? 'right' : 'left';
    const swapBuilds = await builds(gateway, 'swap');

    source.set(used, false);
    await affordancesWhere(gateway, composed(used, false));
    expect(gateway.served.get()!.apiSchema.getQueryType()!.getFields()[`${used}Only`]).toBeUndefined();
    expect((await gql(gateway.url, `{ ${used}Only }`)).errors?.[0]?.extensions?.code).toBe('OPERATION_UNAVAILABLE');
    // A cached plan that fetches only from subgraphs still there is used as it is, and a
    // new one is planned on the previous planner when it needs only those.
    expect((await gql(gateway.url, '{ items { id } }')).data).toEqual({ items: [{ id: '1' }, { id: '2' }] });
    expect((await gql(gateway.url, 'query Fresh { items { id } }')).data).toEqual({
      items: [{ id: '1' }, { id: '2' }],
    });
    expect(await builds(gateway, 'swap')).toBe(swapBuilds);
    expect(await builds(gateway, 'deferred')).toBe(0);

    // The cached plan of `scores` fetches from the subgraph that went down: not used, and
    // the previous planner would plan the same; the new supergraph is built and plans it
    // over the other one.
    calls.left = calls.right = 0;
    expect((await gql(gateway.url, scores)).data).toEqual({
      items: [
        { id: '1', score: 10 },
        { id: '2', score: 20 },
      ],
    });
    expect(calls[used]).toBe(0);
    expect(calls[other]).toBeGreaterThan(0);
    expect(await builds(gateway, 'deferred')).toBe(1);

    source.set(used, true);
    await affordancesWhere(gateway, composed(used));
    expect((await gql(gateway.url, `{ ${used}Only }`)).data).toEqual({ [`${used}Only`]: 1 });
    expect(await builds(gateway, 'swap')).toBe(swapBuilds);
  });

  test('a subgraph that comes back before the build costs no build at all', async () => {
    const both = '{ leftOnly rightOnly }';
    expect((await gql(gateway.url, both)).data).toEqual({ leftOnly: 1, rightOnly: 1 });
    const before = gateway.served.get()!;
    const built = { swap: await builds(gateway, 'swap'), deferred: await builds(gateway, 'deferred') };
    source.set('catalog', false);
    await affordancesWhere(gateway, composed('catalog', false));
    // Its plan is cached and does not fetch from `catalog`.
    expect((await gql(gateway.url, both)).data).toEqual({ leftOnly: 1, rightOnly: 1 });
    source.set('catalog', true);
    await affordancesWhere(gateway, composed('catalog'));
    expect(gateway.served.get()!.apiSchema).toBe(before.apiSchema);
    expect({ swap: await builds(gateway, 'swap'), deferred: await builds(gateway, 'deferred') }).toEqual(built);
  });

  test('a subgraph that comes back with another SDL is not planned on the planner of its old one', async () => {
    // `left` goes down (served on the previous planner), then comes back, at the same URL,
    // with one more root field: the set has no new subgraph, but one of them changed.
    source.set('left', false);
    await affordancesWhere(gateway, composed('left', false));
    const index = servers.findIndex((server) => `${server.url}/graphql` === config.subgraphs.left!.url);
    const port = Number(new URL(servers[index]!.url).port);
    await servers[index]!.close();
    servers[index] = await serveSubgraph(scoring('left', 'extra: Int'), { port, logger: silentLogger });
    source.set('left', true);
    await affordancesWhere(gateway, (a) => a.available.some((op) => op.name === 'extra'));
    expect((await gql(gateway.url, '{ extra leftOnly }')).data).toEqual({ extra: 2, leftOnly: 1 });
  });

  test('is built once no other swap has come for buildAfterMs, without a second swap for clients', async () => {
    const quick = new StaticSource({ catalog: true, left: true, right: true });
    const other = await startGateway({
      config,
      logger: silentLogger,
      sources: [quick],
      swaps: { prebuildBelowChars: 0, buildAfterMs: 50 },
    });
    try {
      quick.set('left', false);
      await affordancesWhere(other, composed('left', false));
      const served = other.served.get()!;
      const deadline = Date.now() + 10_000;
      while ((await builds(other, 'deferred')) === 0) {
        if (Date.now() > deadline) throw new Error('no deferred build within 10 s');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(other.served.get()).toBe(served);
      expect((await gql(other.url, '{ items { id score } }')).errors).toBeUndefined();
    } finally {
      await other.close();
    }
  });
});
