import type { SubgraphStatusJson } from './affordancesJson.js';

const REPLICAS = /deployment (\S+) has (\d+) of (\d+) replicas available/;

/**
 * "2/3 shop/customers" for each Kubernetes check behind a subgraph; the checks carry
 * replicas only in their reason (kubernetes/clusterChecks.ts), so that is what is read.
 */
export function replicasOf(subgraph: SubgraphStatusJson): string[] {
  return subgraph.checks.flatMap((check) => {
    const match = REPLICAS.exec(check.reason);
    return match ? [`${match[2]}/${match[3]} ${match[1]}`] : [];
  });
}
