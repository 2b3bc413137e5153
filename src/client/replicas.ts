import type { SubgraphStatusJson } from './affordancesJson.js';

/** "2/3 deployment shop/customers" for each check behind a subgraph that counts replicas (Kubernetes). */
export function replicasOf(subgraph: SubgraphStatusJson): string[] {
  return subgraph.checks.flatMap(({ id, replicas }) =>
    replicas ? [`${replicas.available}/${replicas.desired} ${id}`] : [],
  );
}

/** "3f1c ×2" for each version serving, when there is more than one (a rollout); empty otherwise. */
export function versionsOf(subgraph: SubgraphStatusJson): string[] {
  if (subgraph.versions.length < 2) return [];
  return subgraph.versions.map(({ hash, endpoints }) => `${hash.slice(0, 4)}${endpoints ? ` ×${endpoints}` : ''}`);
}
