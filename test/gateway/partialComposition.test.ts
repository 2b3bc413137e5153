import type { Affordances } from '../../src/affordances/types.js';
import { validateConfig } from '../../src/config/load.js';
import { startGateway, type RunningGateway } from '../../src/gateway/startGateway.js';
import { silentLogger } from '../../src/platform/logger.js';
import { StaticSource } from '../../src/sources/staticSource.js';
import { affordancesWhere, composed } from '../helpers/gateway.js';
import { gql } from '../helpers/graphql.js';
import { serveSplitEntity } from '../helpers/splitEntity.js';

const FULL = `{ affordances {
  available { name removedFields }
  unavailable { name subgraph reason }
  subgraphs { name composed available reason }
  removed { coordinate kind subgraph needs { subgraph coordinate } reason }
  composition { state errors }
} }`;

describe('subgraphs that do not compose without the one that is down', () => {
  const source = new StaticSource({ a: true, b: true, c: true });
  let gateway: RunningGateway;
  let served: Awaited<ReturnType<typeof serveSplitEntity>>;

  beforeAll(async () => {
    served = await serveSplitEntity();
    const config = validateConfig({ server: { port: 0 }, limits: { rateLimit: false }, subgraphs: served.subgraphs });
    gateway = await startGateway({ config, logger: silentLogger, sources: [source] });
  });
  afterAll(async () => {
    await gateway?.close();
    await served?.close();
  });

  test('all up: the whole graph, nothing removed', async () => {
    const answer = await gql(gateway.url, '{ aTop { id price shipping } bTop cTop }');
    expect(answer.data).toEqual({ aTop: [{ id: '1', price: 10, shipping: 11 }], bTop: 2, cTop: 3 });
    const { data } = await gql<{ affordances: Affordances }>(gateway.url, FULL);
    expect(data!.affordances.composition).toEqual({ state: 'COMPLETE', errors: [] });
    expect(data!.affordances.removed).toEqual([]);
  });

  test('a down: its fields and what needs them leave the schema, with reasons; the rest keeps working', async () => {
    source.set('a', false, 'readiness probe failing');
    await affordancesWhere(gateway, composed('a', false));

    expect((await gql(gateway.url, '{ bTop cTop }')).data).toEqual({ bTop: 2, cTop: 3 });
    const fields = await gql<{ __type: { fields: { name: string }[] } | null }>(
      gateway.url,
      '{ __type(name: "Product") { fields { name } } }',
    );
    expect(fields.data!.__type?.fields.map((f) => f.name) ?? []).not.toContain('shipping');

    const { data } = await gql<{ affordances: Affordances }>(gateway.url, FULL);
    const affordances = data!.affordances;
    expect(affordances.composition.state).toBe('REDUCED');
    const shipping = affordances.removed.find((r) => r.coordinate === 'Product.shipping');
    expect(shipping).toMatchObject({
      kind: 'field',
      subgraph: 'b',
      needs: { subgraph: 'a', coordinate: 'Product.price' },
    });
    expect(shipping!.reason).toBe(
      'Product.shipping requires Product.price from subgraph a, which is down (static: readiness probe failing)',
    );
    expect(affordances.unavailable.find((op) => op.name === 'aTop')).toMatchObject({ subgraph: 'a' });
    expect(affordances.available.map((op) => op.name).sort()).toEqual(['affordances', 'bTop', 'cTop']);
    const status = (name: string) => affordances.subgraphs.find((s) => s.name === name)!;
    expect(status('a')).toMatchObject({ composed: false, available: false });
    expect(status('b')).toMatchObject({ composed: true, available: true });
    expect(status('b').reason).toMatch(/served without .*Product.shipping/);

    const aTop = await gql(gateway.url, '{ aTop { id } }');
    expect([aTop.status, aTop.errors?.[0]?.extensions?.code, aTop.errors?.[0]?.extensions?.subgraph]).toEqual([
      400,
      'OPERATION_UNAVAILABLE',
      'a',
    ]);
  });

  test('a back: the whole graph again', async () => {
    source.set('a', true);
    await affordancesWhere(gateway, (aff) => aff.composition.state === 'COMPLETE' && composed('a')(aff));
    const answer = await gql(gateway.url, '{ aTop { id shipping } }');
    expect(answer.data).toEqual({ aTop: [{ id: '1', shipping: 11 }] });
  });
});
