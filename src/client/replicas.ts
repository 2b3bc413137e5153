import type { SubgraphStatusJson } from './affordancesJson.js';

/** "2/3 deployment shop/customers" for each check behind a subgraph that counts replicas (Kubernetes). */
export function replicasOf(subgraph: SubgraphStatusJson): string[] {
  return subgraph.checks.flatMap(({ id, replicas }) =>
    replicas ? [`${replicas.available}/${replicas.desired} ${id}`] : [],
  );
}
