/** Where plan nodes nest other nodes (Sequence, Parallel, Flatten, Defer, Condition, Subscription). */
const CHILDREN = ['node', 'nodes', 'primary', 'deferred', 'ifClause', 'elseClause', 'rest'] as const;

/**
 * The subgraphs a query plan (@apollo/query-planner's QueryPlan) fetches from: the
 * `serviceName` of every Fetch node, wherever it nests.
 */
export function queryPlanSubgraphs(plan: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(plan)) {
    for (const node of plan) queryPlanSubgraphs(node, into);
  } else if (plan !== null && typeof plan === 'object') {
    const node = plan as Record<string, unknown>;
    if (node.kind === 'Fetch' && typeof node.serviceName === 'string') into.add(node.serviceName);
    for (const key of CHILDREN) if (node[key] !== undefined) queryPlanSubgraphs(node[key], into);
  }
  return into;
}
