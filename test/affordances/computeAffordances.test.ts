import { buildSchema, parse } from 'graphql';
import { computeAffordances } from '../../src/affordances/computeAffordances.js';
import type { SubgraphAvailability } from '../../src/availability/types.js';
import { buildFieldCatalog } from '../../src/composition/fieldCatalog.js';
import type { CompositionStatus } from '../../src/composition/supergraphManager.js';
import type { ServedSchema } from '../../src/serving/servedSchema.js';

const since = new Date('2026-05-01T10:00:00Z');
const typeDefs = {
  orders: parse('type Query { orders: [Int] } type Mutation { order: Int }'),
  users: parse('type Query { users: [Int] }'),
};
const verdict = (name: string, available: boolean): SubgraphAvailability => ({
  name,
  available,
  reason: available ? 'all checks pass' : 'static: set down',
  since,
  checks: [],
});
const composition = (ordersUp: boolean): CompositionStatus => ({
  subgraphs: new Map(
    (['orders', 'users'] as const).map((name) => {
      const availability = verdict(name, name === 'users' || ordersUp);
      return [
        name,
        {
          name,
          url: `http://${name}`,
          availability,
          typeDefs: typeDefs[name],
          composable: availability.available,
          versions: [],
        },
      ];
    }),
  ),
});
/** The schema still served while the one without `orders` is being built: both subgraphs in it. */
const served: ServedSchema = {
  apiSchema: buildSchema('type Query { orders: [Int] users: [Int] } type Mutation { order: Int }'),
  supergraphSdl: '',
  subgraphs: new Set(['orders', 'users']),
  generation: 1,
  version: '1-abc',
  loadedAt: since,
};
const catalog = buildFieldCatalog(new Map(Object.entries(typeDefs)));

describe('computeAffordances', () => {
  test('all up: every served root operation is available', () => {
    const a = computeAffordances({ served, composition: composition(true), catalog });
    expect(a.available.map((op) => op.name).sort()).toEqual(['order', 'orders', 'users']);
    expect(a.unavailable).toEqual([]);
  });

  test('a subgraph down while the schema without it is built: its operations are unavailable already', () => {
    const a = computeAffordances({ served, composition: composition(false), catalog });
    expect(a.available.map((op) => op.name)).toEqual(['users']);
    expect(a.unavailable.map((op) => [op.name, op.reason])).toEqual([
      ['orders', 'subgraph orders is unavailable: static: set down'],
      ['order', 'subgraph orders is unavailable: static: set down'],
    ]);
    expect(a.subgraphs.find((s) => s.name === 'orders')).toMatchObject({ composed: true, available: false });
  });
});
