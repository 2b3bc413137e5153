import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { StaticSource } from '../../src/sources/staticSource.js';
import { validateConfig } from '../../src/config/load.js';
import { startGateway, type RunningGateway } from '../../src/gateway/startGateway.js';
import { silentLogger } from '../../src/platform/logger.js';
import { affordancesWhere, composed } from '../helpers/gateway.js';
import { gql } from '../helpers/graphql.js';
import { federationLink as link, serveSchemas } from '../helpers/subgraphServers.js';

/** Starts real subgraph servers and a gateway over them, with availability set by hand. */
async function gatewayOver(schemas: Record<string, ReturnType<typeof buildSubgraphSchema>>) {
  const servers = await serveSchemas(schemas);
  const subgraphs = servers.subgraphs;
  const source = new StaticSource(Object.fromEntries(Object.keys(schemas).map((name) => [name, true])));
  const config = validateConfig({ server: { port: 0 }, limits: { rateLimit: false }, subgraphs });
  const gateway = await startGateway({ config, logger: silentLogger, sources: [source] });
  return {
    gateway,
    source,
    close: async () => {
      await gateway.close();
      await servers.close();
    },
  };
}

describe('a swap that widens the schema', () => {
  // Composition intersects input enums and shared field arguments: with both subgraphs up,
  // `items` has no `limit` and Color has no GREEN; when `b` leaves, both appear.
  const a = buildSubgraphSchema({
    typeDefs: parse(`${link(['@shareable'])}
      enum Color { RED GREEN }
      type Query { items(color: Color, limit: Int): [Int] @shareable }`),
    resolvers: {
      Query: { items: (_: unknown, args: { color?: string; limit?: number }) => [args.limit ?? 0, args.color ? 1 : 0] },
    },
  });
  const b = buildSubgraphSchema({
    typeDefs: parse(`${link(['@shareable'])}
      enum Color { RED }
      type Query { items(color: Color): [Int] @shareable }`),
    resolvers: { Query: { items: () => [0, 0] } },
  });
  let running: Awaited<ReturnType<typeof gatewayOver>>;
  beforeAll(async () => (running = await gatewayOver({ a, b })));
  afterAll(() => running.close());

  test('serves the arguments and enum values it gained from the first request on', async () => {
    const { gateway, source } = running;
    expect((await gql(gateway.url, '{ items(limit: 2) }')).status).toBe(400);
    source.set('b', false);
    await affordancesWhere(gateway, composed('b', false));
    // Every request after the swap, at once: none may see the old planner.
    const answers = await Promise.all([
      gql(gateway.url, '{ items(limit: 2) }'),
      gql(gateway.url, '{ items(color: GREEN) }'),
      gql(gateway.url, '{ items(color: RED, limit: 3) }'),
    ]);
    expect(answers.map((r) => [r.status, r.data])).toEqual([
      [200, { items: [2, 0] }],
      [200, { items: [0, 1] }],
      [200, { items: [3, 1] }],
    ]);
    source.set('b', true);
    await affordancesWhere(gateway, composed('b'));
    const narrowed = await gql(gateway.url, '{ items(limit: 2) }');
    expect([narrowed.status, narrowed.errors?.[0]?.extensions?.code]).toEqual([400, 'GRAPHQL_VALIDATION_FAILED']);
  });
});

describe('a swap during a request', () => {
  let release: () => void = () => {};
  let entered: () => void = () => {};
  const slow = buildSubgraphSchema({
    typeDefs: parse(`${link([])}
      type Query { slow: Int }`),
    resolvers: {
      Query: {
        slow: async () => {
          entered();
          await new Promise<void>((resolve) => (release = resolve));
          return 7;
        },
      },
    },
  });
  const other = buildSubgraphSchema({
    typeDefs: parse(`${link([])}
      type Query { other: Int }`),
    resolvers: { Query: { other: () => 1 } },
  });
  let running: Awaited<ReturnType<typeof gatewayOver>>;
  beforeAll(async () => (running = await gatewayOver({ slow, other })));
  afterAll(() => running.close());

  test('finishes on the state it was validated against', async () => {
    const { gateway, source } = running;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const pending = gql(gateway.url, '{ slow other }');
    await inside;
    source.set('other', false);
    await affordancesWhere(gateway, composed('other', false));
    release();
    // Validated and planned with `other` in the schema: answered from that state as a
    // whole, though `other` is no longer served.
    expect(await pending).toEqual({ status: 200, data: { slow: 7, other: 1 } });
    expect((await gql(gateway.url, '{ other }')).errors?.[0]?.extensions?.code).toBe('OPERATION_UNAVAILABLE');
    source.set('other', true);
    await affordancesWhere(gateway, composed('other'));
  });
});

describe('requests that name no operation the document has', () => {
  const only = buildSubgraphSchema({
    typeDefs: parse(`${link([])}
      type Query { one: Int }`),
    resolvers: { Query: { one: () => 1 } },
  });
  let gateway: RunningGateway;
  let running: Awaited<ReturnType<typeof gatewayOver>>;
  beforeAll(async () => {
    running = await gatewayOver({ only });
    gateway = running.gateway;
  });
  afterAll(() => running.close());

  const post = (body: object) =>
    fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(async (response) => ({ status: response.status, body: (await response.json()) as any }));

  test('an unknown operationName is a 400 that names it', async () => {
    const { status, body } = await post({ query: 'query A { one }', operationName: 'B' });
    expect(status).toBe(400);
    expect(body.errors[0].extensions.code).toBe('OPERATION_RESOLUTION_FAILURE');
    expect(body.errors[0].message).toContain('"B"');
  });

  test('several operations without an operationName are a 400 that says to pick one', async () => {
    const { status, body } = await post({ query: 'query A { one } query B { one }' });
    expect(status).toBe(400);
    expect(body.errors[0].extensions.code).toBe('OPERATION_RESOLUTION_FAILURE');
    expect(body.errors[0].message).toContain('operationName');
  });

  test('the operation named is run', async () => {
    expect(await post({ query: 'query A { one } query B { one }', operationName: 'B' })).toEqual({
      status: 200,
      body: { data: { one: 1 } },
    });
  });
});

describe('fetches of a mutation plan', () => {
  const calls = { price: 0 };
  const orders = buildSubgraphSchema({
    typeDefs: parse(`${link(['@key'])}
      type Product @key(fields: "id") { id: ID! }
      type Query { noop: Int }
      type Mutation { order(id: ID!): Product }`),
    resolvers: { Mutation: { order: (_: unknown, { id }: { id: string }) => ({ id }) } },
  });
  const pricing = buildSubgraphSchema({
    typeDefs: parse(`${link(['@key'])}
      type Product @key(fields: "id") { id: ID! price: Int }`),
    resolvers: {
      Product: {
        __resolveReference: async ({ id }: { id: string }) => {
          calls.price++;
          // Long enough for every client's entity fetch to be in flight at once.
          await new Promise((resolve) => setTimeout(resolve, 100));
          return { id, price: Number(id) };
        },
      },
    },
  });
  let running: Awaited<ReturnType<typeof gatewayOver>>;
  beforeAll(async () => (running = await gatewayOver({ orders, pricing })));
  afterAll(() => running.close());

  test('are never shared: the subgraph sees every client', async () => {
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => gql(running.gateway.url, 'mutation { order(id: "5") { id price } }')),
    );
    expect(answers.map((r) => r.data)).toEqual(Array.from({ length: 4 }, () => ({ order: { id: '5', price: 5 } })));
    expect(calls.price).toBe(4);
  });

  test('once no composed subgraph has mutations, a mutation is a 400 that says which subgraph is down', async () => {
    const { gateway, source } = running;
    source.set('orders', false);
    await affordancesWhere(gateway, composed('orders', false));
    const answer = await gql(gateway.url, 'mutation { order(id: "5") { id } }');
    expect([answer.status, answer.errors?.[0]?.extensions?.code, answer.errors?.[0]?.extensions?.subgraph]).toEqual([
      400,
      'OPERATION_UNAVAILABLE',
      'orders',
    ]);
    expect(answer.errors?.[0]?.message).toMatch(
      /^every mutation \(type Mutation\) is unavailable: subgraph orders is down/,
    );
    source.set('orders', true);
    await affordancesWhere(gateway, composed('orders'));
  });
});

describe('subgraphs found only by discovery', () => {
  const found = buildSubgraphSchema({
    typeDefs: parse(`${link([])}
      type Query { found: Int }`),
    resolvers: { Query: { found: () => 5 } },
  });

  test('are composed in the first schema served: the gateway is not ready without them', async () => {
    const server = await serveSchemas({ found });
    // A source that only discovers (as Subgraph resources do); availability comes from the static source.
    const discovery = {
      name: 'discovery',
      start: async () => {},
      snapshot: () => [],
      stop: async () => {},
      discoveredSubgraphs: () => [{ name: 'found', url: server.subgraphs.found!.url, declaredBy: 'test/found' }],
      onDiscoveryChange: () => () => {},
    };
    const config = validateConfig({ server: { port: 0 }, limits: { rateLimit: false }, subgraphs: {} });
    const gateway = await startGateway({
      config,
      logger: silentLogger,
      sources: [discovery, new StaticSource({ found: true })],
    });
    try {
      expect(gateway.served.get()!.subgraphs.has('found')).toBe(true);
      expect((await gql(gateway.url, '{ found }')).data).toEqual({ found: 5 });
    } finally {
      await gateway.close();
      await server.close();
    }
  });
});
