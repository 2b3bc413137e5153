import type { V1Deployment, V1EndpointSlice } from '@kubernetes/client-node';
import { refString, type SubgraphRequirements } from './requirements.js';

/** A check as computed from the cluster state, before the source adds `since`. */
export interface ClusterCheck {
  readonly id: string;
  readonly subgraph: string;
  readonly ok: boolean;
  readonly reason: string;
  readonly replicas?: { readonly available: number; readonly desired: number };
}

export interface ClusterState {
  readonly deployments: readonly V1Deployment[];
  /** Absent when the EndpointSlice signal is off. */
  readonly endpointSlices?: readonly V1EndpointSlice[];
}

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/**
 * Checks of every subgraph against the cached cluster state; pure, level-triggered.
 * A Deployment counts by `status.availableReplicas` (omitted when 0), never by its
 * `Available` condition, which stays True when it is scaled to zero.
 */
export function clusterChecks(requirements: readonly SubgraphRequirements[], state: ClusterState): ClusterCheck[] {
  const deployments = new Map(state.deployments.map((d) => [`${d.metadata?.namespace}/${d.metadata?.name}`, d]));
  return requirements.flatMap(({ subgraph, deployments: wanted, services }): ClusterCheck[] => [
    ...wanted.map((ref) => {
      const id = `deployment ${refString(ref)}`;
      const deployment = deployments.get(refString(ref));
      if (!deployment) return { id, subgraph, ok: false, reason: `deployment ${refString(ref)} does not exist` };
      const available = deployment.status?.availableReplicas ?? 0;
      const desired = deployment.spec?.replicas ?? 1;
      const needs = ref.minAvailable > 1 ? ` (needs ${ref.minAvailable})` : '';
      return {
        id,
        subgraph,
        ok: available >= ref.minAvailable,
        reason: `deployment ${refString(ref)} has ${available} of ${desired} replicas available${needs}`,
        replicas: { available, desired },
      };
    }),
    ...(state.endpointSlices
      ? services.map((ref) => {
          const slices = state.endpointSlices!.filter(
            (s) => s.metadata?.namespace === ref.namespace && s.metadata?.labels?.[SERVICE_NAME_LABEL] === ref.name,
          );
          // An unset `ready` means ready (discovery.k8s.io/v1).
          const ready = slices.flatMap((s) => s.endpoints ?? []).filter((e) => e.conditions?.ready !== false).length;
          return {
            id: `endpoints ${refString(ref)}`,
            subgraph,
            ok: ready > 0,
            reason: `service ${refString(ref)} has ${ready === 0 ? 'no' : ready} ready endpoint${ready === 1 ? '' : 's'}`,
          };
        })
      : []),
  ]);
}
