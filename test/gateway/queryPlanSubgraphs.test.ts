import { queryPlanSubgraphs } from '../../src/serving/queryPlanSubgraphs.js';

const fetch = (serviceName: string) => ({
  kind: 'Fetch',
  serviceName,
  operation: '{ x }',
  requires: [{ kind: 'Field' }],
});

describe('queryPlanSubgraphs', () => {
  test('finds every fetch, however the plan nests it', () => {
    const plan = {
      kind: 'QueryPlan',
      node: {
        kind: 'Sequence',
        nodes: [
          fetch('a'),
          {
            kind: 'Parallel',
            nodes: [
              { kind: 'Flatten', path: ['x'], node: fetch('b') },
              { kind: 'Condition', condition: 'c', ifClause: fetch('c'), elseClause: fetch('d') },
            ],
          },
          {
            kind: 'Defer',
            primary: { subselection: '{ y }', node: fetch('e') },
            deferred: [{ depends: [], node: { kind: 'Flatten', path: ['y'], node: fetch('f') } }],
          },
        ],
      },
    };
    expect([...queryPlanSubgraphs(plan)].sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  test('a plan with no fetch (introspection only) fetches from no subgraph', () => {
    expect(queryPlanSubgraphs({ kind: 'QueryPlan' }).size).toBe(0);
  });
});
