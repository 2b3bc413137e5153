import { buildSubgraphSchema } from '@apollo/subgraph';
import { ApolloServer } from '@apollo/server';
import { jest } from '@jest/globals';
import { buildSchema, parse } from 'graphql';
import { serveSubgraph } from '../../subgraphs/shared/serveSubgraph.js';
import { StaticSource } from '../../src/sources/staticSource.js';
import { SupergraphComposer, hashSdl } from '../../src/composition/composeSupergraph.js';
import { validateConfig } from '../../src/config/load.js';
import { startGateway } from '../../src/gateway/startGateway.js';
import { graphqlHandler } from '../../src/platform/http/graphqlHandler.js';
import { startHttpServer } from '../../src/platform/http/httpServer.js';
import { silentLogger } from '../../src/platform/logger.js';
import { affordancesWhere } from '../helpers/gateway.js';
import { gql } from '../helpers/graphql.js';
import { Backends } from '../helpers/servers.js';

jest.setTimeout(20_000);

const rogueTypeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])
  type Customer @key(fields: "id") { id: ID! name: Int! }
  type Query { rogue: String }
`);

describe('SupergraphComposer', () => {
  const sdl = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: []) type Query { a: Int }';
  const def = (name: string, text = sdl) => ({
    name,
    url: `http://${name}`,
    typeDefs: parse(text),
    sdlHash: hashSdl(text),
  });

  test('caches by the set of subgraphs and their SDL, in any order', () => {
    const composer = new SupergraphComposer();
    const sdlB = sdl.replace('a: Int', 'b: Int');
    const first = composer.compose([def('x'), def('y', sdlB)]);
    expect(first.ok).toBe(true);
    expect(composer.compose([def('y', sdlB), def('x')])).toBe(first);
    const changed = composer.compose([def('x'), def('y', sdl.replace('a: Int', 'c: Int'))]);
    expect(changed).not.toBe(first);
  });

  test('reports composition errors with the subgraph names when nothing composes', () => {
    const result = new SupergraphComposer().compose([def('x', sdl.replace('a: Int', 'a: Missing'))]);
    expect(result).toMatchObject({ ok: false, subgraphs: ['x'] });
    expect(result.ok || result.errors.join()).toMatch(/Missing/);
  });

  test('a conflict no outage explains is taken out of the subgraph that is not established', () => {
    const composer = new SupergraphComposer();
    for (const established of [['x'], ['y']]) {
      const result = composer.compose([def('x'), def('y')], [], established);
      if (!result.ok) throw new Error(result.errors.join('; '));
      const newcomer = established[0] === 'x' ? 'y' : 'x';
      expect(result.reduction?.removed).toEqual([
        expect.objectContaining({ subgraph: newcomer, coordinate: 'Query.a' }),
        ...(result.reduction?.removed.slice(1) ?? []),
      ]);
      expect(result.reduction?.removed.every((r) => r.subgraph === newcomer)).toBe(true);
    }
  });
});

describe('gateway composition failures', () => {
  const backends = new Backends();
  beforeAll(async () => backends.startAll());
  afterAll(async () => backends.stopAll());

  test('a subgraph that contradicts the served ones is left out whole, saying why; the rest is served', async () => {
    const rogue = await serveSubgraph(
      buildSubgraphSchema({ typeDefs: rogueTypeDefs, resolvers: { Query: { rogue: () => 'here' } } }),
      { port: 0, logger: silentLogger },
    );
    const source = new StaticSource({ customers: true, invoices: true, rogue: false });
    const base = backends.gatewayConfig();
    const config = validateConfig({
      ...base,
      subgraphs: { ...base.subgraphs, rogue: { url: `${rogue.url}/graphql` } },
    });
    const gateway = await startGateway({ config, logger: silentLogger, sources: [source] });
    try {
      const before = gateway.served.get()!.version;
      source.set('rogue', true);
      const reduced = await affordancesWhere(gateway, (a) => a.composition.state === 'REDUCED');
      const status = reduced.subgraphs.find((s) => s.name === 'rogue')!;
      expect(status).toMatchObject({ available: false, composed: false });
      expect(status.reason).toMatch(/^left out of the schema: it does not compose .*INVALID_FIELD_SHARING/);
      expect(reduced.composition.errors.join()).toMatch(/^subgraph rogue: .*Customer\.name/);
      // Nothing the served subgraphs had is lost to the newcomer.
      expect(reduced.schemaVersion).toBe(before);
      expect((await gql(gateway.url, '{ customers { name } }')).errors).toBeUndefined();
      // Taking it down again composes the rest as it is, with nothing left behind.
      source.set('rogue', false);
      const clean = await affordancesWhere(gateway, (a) => a.composition.state === 'COMPLETE');
      expect(clean.subgraphs.find((s) => s.name === 'rogue')!.reason).toBe('static: set down');
    } finally {
      await gateway.close();
      await rogue.close();
    }
  });

  test('a subgraph whose SDL cannot be read counts as unavailable, with that reason', async () => {
    // A plain GraphQL server: it answers the probe's { __typename } but has no _service.
    const plain = new ApolloServer({ schema: buildSchema('type Query { hello: String }') });
    await plain.start();
    const server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      logger: silentLogger,
      routes: { '/graphql': graphqlHandler(plain, { bodyLimitBytes: 1024 * 1024 }) },
    });
    const base = backends.gatewayConfig();
    const config = validateConfig({
      ...base,
      subgraphs: { ...base.subgraphs, plain: { url: `${server.url}/graphql` } },
    });
    const gateway = await startGateway({ config, logger: silentLogger });
    try {
      const status = gateway.affordances.get()!.affordances.subgraphs.find((s) => s.name === 'plain')!;
      expect(status).toMatchObject({ available: false, composed: false });
      expect(status.reason).toMatch(/^SDL not read: .*did not return its SDL \(is it a federation subgraph\?\)/);
      expect(status.checks).toEqual([expect.objectContaining({ id: 'http plain', ok: true })]);
    } finally {
      await gateway.close();
      await server.close();
      await plain.stop();
    }
  });
});
