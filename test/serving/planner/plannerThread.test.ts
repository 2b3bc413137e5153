import { parse, print } from 'graphql';
import { composeDefinitions, hashSdl } from '../../../src/composition/composeSupergraph.js';
import { PlannerThread } from '../../../src/serving/planner/plannerThread.js';

const supergraphWith = (field: string) => {
  const typeDefs = parse(`extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])
    type Query { ${field}: Int }`);
  const composed = composeDefinitions([
    { name: 'one', url: 'http://one/graphql', typeDefs, sdlHash: hashSdl(print(typeDefs)) },
  ]);
  if (!composed.ok) throw new Error(composed.errors.join('; '));
  return composed.supergraphSdl;
};

describe('PlannerThread', () => {
  const thread = new PlannerThread();
  afterAll(() => thread.stop());

  test('a build cancelled before the thread starts it is skipped; the others are built', async () => {
    // All three are posted before the new thread has even loaded its code.
    const first = thread.build('first', supergraphWith('a'));
    const cancelled = thread.build('cancelled', supergraphWith('b'));
    const third = thread.build('third', supergraphWith('c'));
    cancelled.cancel();
    await expect(cancelled.built).rejects.toThrow('cancelled');
    await expect(first.built).resolves.toBeUndefined();
    await expect(third.built).resolves.toBeUndefined();
    const plan = await thread.plan('third', supergraphWith('c'), '{ c }');
    expect(plan.node).toMatchObject({ kind: 'Fetch', serviceName: 'one' });
  });

  test('a supergraph the thread still holds is not built again', async () => {
    const first = thread.build('held', supergraphWith('d'));
    await first.built;
    // Ids name one SDL each (the serving core uses its hash): an SDL under a held id is not even read.
    const again = thread.build('held', supergraphWith('e'));
    await again.built;
    expect((await again.schema).apiSdl).toBe((await first.schema).apiSdl);
    expect((await again.schema).apiSdl).toContain('d: Int');
  });
});
