import { parse, print } from 'graphql';
import { composeDefinitions, hashSdl } from '../../../src/composition/composeSupergraph.js';
import { PlannerPool } from '../../../src/serving/planner/plannerPool.js';

const supergraphOf = (fields: string) => {
  const typeDefs = parse(`extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])
    type Query { ${fields} }`);
  const composed = composeDefinitions([
    { name: 'one', url: 'http://one/graphql', typeDefs, sdlHash: hashSdl(print(typeDefs)) },
  ]);
  if (!composed.ok) throw new Error(composed.errors.join('; '));
  return composed.supergraphSdl;
};

describe('PlannerPool', () => {
  const small = supergraphOf('a: Int');
  const large = supergraphOf(Array.from({ length: 200 }, (_, i) => `field${i}: Int`).join('\n'));
  const pool = new PlannerPool({ inlineBelowChars: (small.length + large.length) / 2 });
  const threads = new PlannerPool({ inlineBelowChars: 0 });
  afterAll(() => Promise.all([pool.stop(), threads.stop()]));

  test('a supergraph shorter than the bound is planned on the event loop, a longer one on a thread', () => {
    expect(pool.placement(small)).toBe('inline');
    expect(pool.placement(large)).toBe('thread');
    expect(threads.placement(small)).toBe('thread');
  });

  test('the event loop and a thread plan alike, and refuse alike', async () => {
    for (const [planners, id] of [
      [pool, 'inline'],
      [threads, 'thread'],
    ] as const) {
      const build = planners.build(id, small);
      expect((await build.schema).subgraphs).toEqual([{ name: 'one', url: 'http://one/graphql' }]);
      await build.built;
    }
    const [inline, onThread] = await Promise.all([
      pool.plan('inline', small, '{ a }'),
      threads.plan('thread', small, '{ a }'),
    ]);
    expect(inline).toEqual(onThread);
    expect(inline.node).toMatchObject({ kind: 'Fetch', serviceName: 'one' });
    const refusal = (plan: Promise<unknown>) =>
      plan.then(
        () => new Error('planned'),
        (error: Error) => error,
      );
    const refusals = await Promise.all([
      refusal(pool.plan('inline', small, '{ nope }')),
      refusal(threads.plan('thread', small, '{ nope }')),
    ]);
    expect(refusals[0]).toBeInstanceOf(Error);
    expect(refusals[0]!.message).toMatch(/nope/);
    expect({ ...refusals[0], message: refusals[0]!.message }).toEqual({
      ...refusals[1],
      message: refusals[1]!.message,
    });
  });

  test('a build on the event loop cancelled before its turn is skipped; one let go is built again to plan', async () => {
    const cancelled = pool.build('cancelled', small);
    cancelled.cancel();
    await expect(cancelled.built).rejects.toThrow('cancelled');
    // Never built: planning builds it first.
    const plan = await pool.plan('cancelled', small, '{ a }');
    expect(plan.kind).toBe('QueryPlan');
  });

  test('a supergraph that cannot be served is refused on the event loop as on a thread', async () => {
    const [inline, onThread] = await Promise.all([
      pool.build('broken', 'type Query { not a supergraph').built.catch((e: Error) => e.message),
      threads.build('broken', 'type Query { not a supergraph').built.catch((e: Error) => e.message),
    ]);
    expect(inline).toMatch(/Syntax Error/);
    expect(inline).toBe(onThread);
  });
});
