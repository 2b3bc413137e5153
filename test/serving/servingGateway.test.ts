import { LocalGraphQLDataSource, type GraphQLDataSource } from '@apollo/gateway';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, print, type GraphQLSchema } from 'graphql';
import { composeDefinitions, hashSdl } from '../../src/composition/composeSupergraph.js';
import { silentLogger } from '../../src/platform/logger.js';
import { ServingGateway, type ServingStatus, type StateBuildEvent } from '../../src/serving/servingGateway.js';

const link = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@shareable"])';
const subgraph = (name: string, fields: string) => {
  const typeDefs = parse(`${link}\n type Query { ${fields} }`);
  return { name, url: `http://${name}.invalid/graphql`, typeDefs, sdlHash: hashSdl(print(typeDefs)) };
};

/** Composes subgraphs for real; throws if they do not compose. */
function supergraphOf(...subgraphs: ReturnType<typeof subgraph>[]): string {
  const composed = composeDefinitions(subgraphs);
  if (!composed.ok) throw new Error(composed.errors.join('; '));
  return composed.supergraphSdl;
}

/** What composition would hand the serving core: a wanted supergraph that tests change. */
class Feed {
  private listeners = new Set<() => void>();
  constructor(private current: string | undefined) {}
  wanted = () => this.current;
  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  set(supergraphSdl: string): void {
    this.current = supergraphSdl;
    this.listeners.forEach((listener) => listener());
  }
}

const one = subgraph('one', 'a: Int');
const two = subgraph('two', 'b: Int');
const three = subgraph('three', 'c: Int');
/** An in-process subgraph answering every root field of the subgraphs above (with null). */
const local = (_name: string) =>
  new LocalGraphQLDataSource(buildSubgraphSchema({ typeDefs: parse(`${link}\n type Query { a: Int b: Int }`) }));

function servingGateway(feed: Feed, dataSourceFor: (s: { name: string }) => GraphQLDataSource = (s) => local(s.name)) {
  const statuses: ServingStatus['phase'][] = [];
  const builds: StateBuildEvent[] = [];
  const buildWaiters = new Set<() => void>();
  const gateway = new ServingGateway({
    feed,
    logger: silentLogger,
    dataSourceFor,
    retryInitialMs: 5,
    onBuild: (event) => {
      builds.push(event);
      buildWaiters.forEach((wake) => wake());
    },
  });
  gateway.onStatus((status) => statuses.push(status.phase));
  /** Resolves once `count` builds have ended. */
  const buildsEnded = (count: number) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (builds.length < count) return;
        buildWaiters.delete(check);
        resolve();
      };
      buildWaiters.add(check);
      check();
    });
  return { gateway, statuses, builds, buildsEnded };
}

/** Resolves with the first status (current or future) that satisfies `predicate`. */
const statusWhere = (gateway: ServingGateway, predicate: (s: ServingStatus) => boolean) =>
  new Promise<ServingStatus>((resolve) => {
    const now = gateway.status();
    if (now && predicate(now)) return resolve(now);
    const stop = gateway.onStatus((status) => {
      if (!predicate(status)) return;
      stop();
      resolve(status);
    });
  });

/** Loads the gateway on the feed's supergraph, then serves `next`; both states. */
async function loadThenServe(gateway: ServingGateway, feed: Feed, next: string) {
  await gateway.load();
  const first = gateway.served()!;
  feed.set(next);
  await statusWhere(gateway, (s) => s.phase === 'serving' && s.servedId !== first.id);
  return { first, second: gateway.served()! };
}

describe('ServingGateway', () => {
  test('serves the wanted supergraph once its state is built, and tells its listeners', async () => {
    const feed = new Feed(supergraphOf(one));
    const { gateway } = servingGateway(feed);
    const loads: string[] = [];
    gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => loads.push(coreSupergraphSdl));
    await gateway.load();
    expect(gateway.status()?.phase).toBe('serving');
    expect(Object.keys(gateway.served()!.schema.getQueryType()!.getFields())).toEqual(['a']);

    const both = supergraphOf(one, two);
    feed.set(both);
    await statusWhere(gateway, (s) => s.phase === 'serving' && s.servedId === gateway.served()?.id);
    expect(gateway.served()!.supergraphSdl).toBe(both);
    expect(loads).toEqual([supergraphOf(one), both]);
    await gateway.stop();
  });

  test('load fails when the first supergraph cannot be built', async () => {
    const { gateway } = servingGateway(new Feed('type Query { not a supergraph'));
    await expect(gateway.load()).rejects.toThrow();
  });

  test('a failed build is retried with backoff, shown as retrying, and never swapped in half-built', async () => {
    const feed = new Feed(supergraphOf(one));
    let failures = 2;
    const { gateway, statuses, builds } = servingGateway(feed, (s) => {
      if (s.name === 'two' && failures-- > 0) throw new Error('no pool for two');
      return local(s.name);
    });
    await gateway.load();
    const first = gateway.served();
    feed.set(supergraphOf(one, two));
    const retrying = await statusWhere(gateway, (s) => s.phase === 'retrying');
    expect(retrying).toMatchObject({ phase: 'retrying', attempt: 1, error: 'no pool for two', servedId: first!.id });
    expect(gateway.served()).toBe(first);
    const served = await statusWhere(gateway, (s) => s.phase === 'serving' && s.servedId !== first!.id);
    expect(served.phase).toBe('serving');
    expect(gateway.served()!.subgraphs.has('two')).toBe(true);
    expect(statuses).toEqual(['serving', 'building', 'retrying', 'building', 'retrying', 'building', 'serving']);
    expect(builds.map((b) => b.result)).toEqual(['ok', 'failed', 'failed', 'ok']);
    await gateway.stop();
  });

  test('a supergraph that cannot be built is retried until another is wanted, which is then served', async () => {
    const feed = new Feed(supergraphOf(one));
    const { gateway } = servingGateway(feed);
    await gateway.load();
    feed.set('type Query { broken');
    await statusWhere(gateway, (s) => s.phase === 'retrying' && s.attempt >= 2);
    expect(Object.keys(gateway.served()!.schema.getQueryType()!.getFields())).toEqual(['a']);
    feed.set(supergraphOf(one, two));
    await statusWhere(gateway, (s) => s.phase === 'serving' && gateway.served()!.subgraphs.has('two'));
    await gateway.stop();
  });

  test('a swap back to a supergraph served before reuses its state, plans included', async () => {
    const feed = new Feed(supergraphOf(one));
    const { gateway, builds } = servingGateway(feed);
    const { first } = await loadThenServe(gateway, feed, supergraphOf(one, two));
    feed.set(supergraphOf(one));
    expect(gateway.served()).toBe(first);
    expect(builds).toHaveLength(2);
    await gateway.stop();
  });

  test('each request runs on the state its schema belongs to', async () => {
    const feed = new Feed(supergraphOf(one, two));
    const { gateway } = servingGateway(feed);
    await gateway.load();
    const both = gateway.served()!;
    feed.set(supergraphOf(one));
    await statusWhere(gateway, (s) => s.phase === 'serving' && s.servedId !== both.id);
    const run = (schema: GraphQLSchema) => {
      const document = parse('{ b }');
      return gateway.executor({
        schema,
        document,
        source: '{ b }',
        request: { query: '{ b }' },
        queryHash: 'h',
        operation: document.definitions[0],
        operationName: null,
        contextValue: {},
        metrics: {},
        logger: silentLogger,
      } as never);
    };
    // Validated against the state with `two`: planned and executed there, though no longer served.
    expect(await run(both.schema)).toEqual({ data: { b: null } });
    await expect(run(gateway.served()!.schema)).rejects.toThrow();
    await gateway.stop();
  });

  test('a build stops as soon as its supergraph is no longer wanted, and is not retried', async () => {
    const feed = new Feed(supergraphOf(one));
    const { gateway, builds, statuses, buildsEnded } = servingGateway(feed);
    await gateway.load();
    const first = gateway.served()!;
    feed.set(supergraphOf(one, two));
    feed.set(supergraphOf(one));
    await buildsEnded(2);
    expect(builds.map((b) => b.result)).toEqual(['ok', 'superseded']);
    expect(gateway.served()).toBe(first);
    expect(statuses).toEqual(['serving', 'building', 'serving']);
    await gateway.stop();
  });

  test('a swap to a state built before does not wait for a build under way', async () => {
    const feed = new Feed(supergraphOf(one));
    const { gateway, builds } = servingGateway(feed);
    const { first, second: withTwo } = await loadThenServe(gateway, feed, supergraphOf(one, two));
    feed.set(supergraphOf(one, two, three));
    expect(gateway.status()?.phase).toBe('building');
    feed.set(supergraphOf(one));
    // At once, in the same turn: the kept state needs no build.
    expect(gateway.served()).toBe(first);
    feed.set(supergraphOf(one, two, three));
    await statusWhere(gateway, (s) => s.phase === 'serving' && gateway.served()!.subgraphs.has('three'));
    expect(builds.map((b) => b.result)).toEqual(['ok', 'ok', 'superseded', 'ok']);
    expect(gateway.served()).not.toBe(withTwo);
    await gateway.stop();
  });

  test('a build ahead of need gives way to a supergraph wanted now', async () => {
    const feed = new Feed(supergraphOf(one));
    const { gateway, builds } = servingGateway(feed);
    await gateway.load();
    gateway.prebuild(supergraphOf(one, two));
    feed.set(supergraphOf(one, three));
    await statusWhere(gateway, (s) => s.phase === 'serving' && gateway.served()!.subgraphs.has('three'));
    expect(builds.map((b) => `${b.when} ${b.result}`)).toEqual(['swap ok', 'ahead superseded', 'swap ok']);
    await gateway.stop();
  });
});
