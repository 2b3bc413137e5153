import type { Affordances } from '../../src/affordances/types.js';
import { validateConfig } from '../../src/config/load.js';
import type { GatewayConfigInput } from '../../src/config/schema.js';
import { startGateway, type RunningGateway } from '../../src/gateway/startGateway.js';
import { silentLogger } from '../../src/platform/logger.js';
import type { RunningHttpServer } from '../../src/platform/http/httpServer.js';
import { StaticSource } from '../../src/sources/staticSource.js';
import { affordancesWhere, availableNames, servesField, servesWanted } from '../helpers/gateway.js';
import { gql } from '../helpers/graphql.js';
import { serveSchemas, federationLink } from '../helpers/subgraphServers.js';
import { CUSTOMERS_V1, CUSTOMERS_V2, RoundRobinService, servePod } from '../helpers/subgraphVersions.js';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';

const hasEmail = (gateway: RunningGateway) => servesField(gateway, 'Customer', 'email');
const customersOf = (a: Affordances) => a.subgraphs.find((s) => s.name === 'customers')!;

function config(subgraphs: GatewayConfigInput['subgraphs'], composition: { sdlRefreshMs: number }) {
  return validateConfig({
    server: { port: 0 },
    limits: { rateLimit: false },
    availability: { settleMs: 0, probe: { intervalMs: 100 } },
    composition,
    subgraphs,
  });
}

describe('a new version behind the same URL, without an outage (probe source)', () => {
  const pods: RunningHttpServer[] = [];
  let v1: string;
  let v2: string;
  let service: RoundRobinService;

  beforeAll(async () => {
    const [one, two] = await Promise.all([servePod(CUSTOMERS_V1), servePod(CUSTOMERS_V2)]);
    pods.push(one, two);
    v1 = one.graphqlUrl;
    v2 = two.graphqlUrl;
  });
  beforeEach(async () => {
    service = await RoundRobinService.start([v1]);
  });
  afterEach(() => service.close());
  afterAll(() => Promise.all(pods.map((p) => p.close())));

  /** Runs `test` against a gateway over the probe source that re-reads SDLs every `sdlRefreshMs`. */
  async function withGateway(sdlRefreshMs: number, test: (gateway: RunningGateway) => Promise<void>) {
    const gateway = await startGateway({
      config: config({ customers: { url: service.url } }, { sdlRefreshMs }),
      logger: silentLogger,
    });
    try {
      await test(gateway);
    } finally {
      await gateway.close();
    }
  }

  test('a field added is composed within the refresh interval, one removed leaves', () =>
    withGateway(200, async (gateway) => {
      expect(hasEmail(gateway)).toBe(false);
      service.setTargets([v2]);
      await affordancesWhere(gateway, (a) => availableNames(a).includes('createCustomer'));
      expect(hasEmail(gateway)).toBe(true);
      expect((await gql(gateway.url, '{ customer(id: "1") { email } }')).data).toEqual({
        customer: { email: 'ada@example.com' },
      });

      service.setTargets([v1]);
      await affordancesWhere(gateway, (a) => !availableNames(a).includes('createCustomer'));
      expect(hasEmail(gateway)).toBe(false);
    }));

  test('a query reaching a version without the field is told so, never the bare subgraph error, and the SDL is re-read at once', async () => {
    service.setTargets([v2]);
    // No timer re-read in this test's time: only the failed query can make the gateway look again.
    await withGateway(3_600_000, async (gateway) => {
      expect(hasEmail(gateway)).toBe(true);
      service.setTargets([v1]);
      const answer = await gql(gateway.url, '{ customer(id: "1") { name email } }');
      expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['OPERATION_UNAVAILABLE']);
      expect(answer.errors![0]!.message).toMatch(
        /subgraph customers answered that it does not have part of this operation .*its schema is being refreshed/,
      );
      await affordancesWhere(gateway, (a) => !availableNames(a).includes('createCustomer'));
      expect(hasEmail(gateway)).toBe(false);
      const after = await gql(gateway.url, '{ customer(id: "1") { email } }');
      expect(after.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(after.errors?.[0]?.message).toMatch(/Cannot query field "email"/);
    });
  });
});

describe('a rollout with old and new pods serving at once', () => {
  const pods: (RunningHttpServer & { graphqlUrl: string })[] = [];
  const source = new StaticSource();
  let step = 0;
  /** The subgraph's pods now, and whether its Deployment is still rolling out, as the Kubernetes source says it. */
  const setPods = (endpoints: { id: string; url: string }[], inProgress: boolean) => {
    const detail = `deployment test/customers ${inProgress ? 'is rolling out' : 'is rolled out'}`;
    const rollout = { revision: `step ${++step}`, inProgress, detail };
    source.set('customers', endpoints.length > 0, `${endpoints.length} ready endpoints`, { endpoints, rollout });
  };
  let service: RoundRobinService;
  let gateway: RunningGateway;
  const pod = (i: number) => ({ id: `customers-${i}`, url: pods[i]!.graphqlUrl });

  beforeAll(async () => {
    // Pods 0 and 1 run v1, 2 and 3 run v2, each on its own loopback address.
    const versions = [CUSTOMERS_V1, CUSTOMERS_V1, CUSTOMERS_V2, CUSTOMERS_V2];
    pods.push(...(await Promise.all(versions.map((sdl, i) => servePod(sdl, `127.0.0.${i + 2}`)))));
    service = await RoundRobinService.start([pods[0]!.graphqlUrl, pods[1]!.graphqlUrl]);
    setPods([pod(0), pod(1)], false);
    gateway = await startGateway({
      config: config({ customers: { url: service.url } }, { sdlRefreshMs: 3_600_000 }),
      logger: silentLogger,
      sources: [source],
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await service?.close();
    await Promise.all(pods.map((p) => p.close()));
  });

  const rollTo = (indices: number[], inProgress: boolean) => {
    service.setTargets(indices.map((i) => pods[i]!.graphqlUrl));
    setPods(indices.map(pod), inProgress);
  };

  test('before: v1 whole, one version', async () => {
    const a = await affordancesWhere(gateway, (a) => customersOf(a).versions.length === 1);
    expect(customersOf(a).versions[0]!.endpoints).toBe(2);
    expect(hasEmail(gateway)).toBe(false);
  });

  test('during v1 → v2: only what both serve, and affordances name the versions', async () => {
    rollTo([0, 1, 2], true);
    const a = await affordancesWhere(gateway, (a) => customersOf(a).versions.length === 2 && servesWanted(gateway));
    expect(customersOf(a).versions.map((v) => v.endpoints)).toEqual([2, 1]);
    expect(hasEmail(gateway)).toBe(false);
    const createCustomer = a.unavailable.find((op) => op.name === 'createCustomer');
    expect(createCustomer?.reason).toMatch(
      /^customers is rolling out \(deployment test\/customers is rolling out\): 2 pods serve version ([0-9a-f]{4}), 1 pod serves [0-9a-f]{4}; type Mutation is unknown to \1$/,
    );
    expect(a.removed.map((r) => r.coordinate)).toEqual(expect.arrayContaining(['Customer.email']));
    expect(a.composition.state).toBe('REDUCED');
    // What both versions have keeps working whichever pod answers.
    for (let i = 0; i < 3; i++) {
      expect((await gql(gateway.url, '{ customer(id: "1") { name } }')).data).toEqual({ customer: { name: 'Ada' } });
    }
  });

  test('after: v2 whole', async () => {
    rollTo([2, 3], false);
    const a = await affordancesWhere(gateway, (a) => availableNames(a).includes('createCustomer'));
    expect(customersOf(a).versions.map((v) => v.endpoints)).toEqual([2]);
    expect(a.removed).toEqual([]);
    expect(hasEmail(gateway)).toBe(true);
  });

  test('a rollback the same way: the common part while both serve, then v1 whole', async () => {
    rollTo([2, 3, 0], true);
    await affordancesWhere(gateway, (a) => customersOf(a).versions.length === 2 && servesWanted(gateway));
    expect(hasEmail(gateway)).toBe(false);
    rollTo([0, 1], false);
    const a = await affordancesWhere(
      gateway,
      (a) => customersOf(a).versions.length === 1 && customersOf(a).versions[0]!.endpoints === 2 && !a.removed.length,
    );
    expect(availableNames(a)).not.toContain('createCustomer');
    expect(hasEmail(gateway)).toBe(false);
  });

  test('pods that cannot be read one by one: additions wait for the rollout to end, through the Service', async () => {
    const unreachable = (i: number) => ({ id: `customers-${i}`, url: `http://127.0.0.9:9/graphql` });
    service.setTargets([pods[0]!.graphqlUrl, pods[2]!.graphqlUrl]);
    setPods([unreachable(0), unreachable(2)], true);
    const a = await affordancesWhere(
      gateway,
      (a) => customersOf(a).versions.some((v) => v.endpoints === 0) && servesWanted(gateway),
    );
    expect(hasEmail(gateway)).toBe(false);
    expect(a.unavailable.find((op) => op.name === 'createCustomer')?.reason ?? '').not.toMatch(/pods serve/);
    service.setTargets([pods[2]!.graphqlUrl]);
    setPods([unreachable(2), unreachable(3)], false);
    await affordancesWhere(gateway, (a) => availableNames(a).includes('createCustomer'));
    expect(hasEmail(gateway)).toBe(true);
  });
});

describe('a new version that does not compose with the rest', () => {
  const pods: (RunningHttpServer & { graphqlUrl: string })[] = [];
  let service: RoundRobinService;
  let others: Awaited<ReturnType<typeof serveSchemas>>;
  let gateway: RunningGateway;
  // v3 declares Customer.invoices, which the invoices subgraph owns with another type.
  const V3 = CUSTOMERS_V2.replace('email: String }', 'email: String invoices: String }');

  beforeAll(async () => {
    pods.push(...(await Promise.all([CUSTOMERS_V1, V3, CUSTOMERS_V2].map((sdl) => servePod(sdl)))));
    others = await serveSchemas({
      invoices: buildSubgraphSchema({
        typeDefs: parse(`${federationLink(['@key'])}
          type Query { invoiceCount: Int }
          type Customer @key(fields: "id") { id: ID! invoices: [Int!]! }`),
        resolvers: { Query: { invoiceCount: () => 1 }, Customer: { invoices: () => [1] } } as never,
      }),
    });
    service = await RoundRobinService.start([pods[0]!.graphqlUrl]);
    gateway = await startGateway({
      config: config({ customers: { url: service.url }, invoices: others.subgraphs.invoices! }, { sdlRefreshMs: 200 }),
      logger: silentLogger,
      sources: [new StaticSource({ customers: true, invoices: true })],
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await service?.close();
    await others?.close();
    await Promise.all(pods.map((p) => p.close()));
  });

  test('keeps the last good version of that subgraph, says why, and takes the next version that fits', async () => {
    service.setTargets([pods[1]!.graphqlUrl]);
    const a = await affordancesWhere(gateway, (a) => customersOf(a).rejectedVersion != null);
    expect(customersOf(a).composed).toBe(true);
    expect(customersOf(a).reason).toMatch(
      /its new version [0-9a-f]{8} does not compose, so its last good version is served/,
    );
    expect(a.composition.state).toBe('COMPLETE');
    expect((await gql(gateway.url, '{ customer(id: "1") { name invoices } }')).data).toEqual({
      customer: { name: 'Ada', invoices: [1] },
    });
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/gateway_subgraph_version_rejections_total\{[^}]*subgraph="customers"[^}]*\} 1\n/);
    expect(metrics).toMatch(/gateway_subgraph_version_rejected\{[^}]*subgraph="customers"[^}]*\} 1\n/);

    service.setTargets([pods[2]!.graphqlUrl]);
    const fixed = await affordancesWhere(gateway, (a) => availableNames(a).includes('createCustomer'));
    expect(customersOf(fixed).rejectedVersion).toBeUndefined();
  });
});
