import type { V1Deployment, V1EndpointSlice, V1StatefulSet } from '@kubernetes/client-node';
import type { RolloutStatus, ServingEndpoint } from '../../availability/types.js';
import { ofBackend, refString, type ObjectRef, type OfBackend, type SubgraphRequirements } from './requirements.js';

/** A check as computed from the cluster state, before the source adds `since`. */
export interface ClusterCheck {
  readonly id: string;
  readonly subgraph: string;
  readonly ok: boolean;
  readonly reason: string;
  readonly replicas?: { readonly available: number; readonly desired: number };
  readonly rollout?: RolloutStatus;
  readonly endpoints?: readonly ServingEndpoint[];
  readonly backend?: string;
}

export interface ClusterState {
  readonly deployments: readonly V1Deployment[];
  /** The StatefulSets watched: none when no requirement names one. */
  readonly statefulSets?: readonly V1StatefulSet[];
  /** Absent when the EndpointSlice signal is off. */
  readonly endpointSlices?: readonly V1EndpointSlice[];
}

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';

/**
 * Checks of every subgraph against the cached cluster state; pure, level-triggered.
 * A Deployment counts by `status.availableReplicas` (omitted when 0), never by its
 * `Available` condition, which stays True when it is scaled to zero. A StatefulSet counts
 * by `status.availableReplicas` too (ready for `minReadySeconds`), or by `readyReplicas`
 * on an API server too old to report it.
 */
export function clusterChecks(requirements: readonly SubgraphRequirements[], state: ClusterState): ClusterCheck[] {
  const deployments = byRef(state.deployments);
  const statefulSets = byRef(state.statefulSets ?? []);
  return requirements.flatMap(
    ({ subgraph, url, deployments: wanted, statefulSets: wantedSets, services }): ClusterCheck[] => [
      ...wanted.map((ref) => {
        const deployment = deployments.get(refString(ref));
        const counts = deployment && {
          available: deployment.status?.availableReplicas ?? 0,
          desired: deployment.spec?.replicas ?? 1,
        };
        const check = replicasCheck('deployment', ref, subgraph, counts);
        return deployment && ref.servesSchema ? { ...check, rollout: rolloutOf(ref, deployment) } : check;
      }),
      ...wantedSets.map((ref) => {
        const set = statefulSets.get(refString(ref));
        const counts = set && {
          available: set.status?.availableReplicas ?? set.status?.readyReplicas ?? 0,
          desired: set.spec?.replicas ?? 1,
        };
        return replicasCheck('statefulset', ref, subgraph, counts);
      }),
      ...(state.endpointSlices
        ? services.map((ref) => {
            const slices = state.endpointSlices!.filter(
              (s) => s.metadata?.namespace === ref.namespace && s.metadata?.labels?.[SERVICE_NAME_LABEL] === ref.name,
            );
            const endpoints = readyEndpoints(slices, url);
            const ready = endpoints.length;
            return {
              id: `endpoints ${refString(ref)}`,
              subgraph,
              ...ofBackend(ref),
              ok: ready > 0,
              reason: `service ${refString(ref)} has ${ready === 0 ? 'no' : ready} ready endpoint${ready === 1 ? '' : 's'}`,
              endpoints,
            };
          })
        : []),
    ],
  );
}

function byRef<T extends V1Deployment | V1StatefulSet>(objects: readonly T[]): Map<string, T> {
  return new Map(objects.map((o) => [`${o.metadata?.namespace}/${o.metadata?.name}`, o]));
}

/** A workload's check: ok with at least `minAvailable` available replicas; `counts` undefined when it does not exist. */
function replicasCheck(
  kind: 'deployment' | 'statefulset',
  ref: ObjectRef & OfBackend & { readonly minAvailable: number },
  subgraph: string,
  counts: { available: number; desired: number } | undefined,
): ClusterCheck {
  const id = `${kind} ${refString(ref)}`;
  if (!counts) return { id, subgraph, ...ofBackend(ref), ok: false, reason: `${id} does not exist` };
  const needs = ref.minAvailable > 1 ? ` (needs ${ref.minAvailable})` : '';
  return {
    id,
    subgraph,
    ...ofBackend(ref),
    ok: counts.available >= ref.minAvailable,
    reason: `${id} has ${counts.available} of ${counts.desired} replicas available${needs}`,
    replicas: counts,
  };
}

/**
 * Where a Deployment's rollout stands, as `kubectl rollout status` judges it: done once the
 * controller has seen the latest spec and every replica is updated and available, with no
 * old one left.
 */
function rolloutOf(ref: ObjectRef, deployment: V1Deployment): RolloutStatus {
  const generation = deployment.metadata?.generation ?? 0;
  const observed = deployment.status?.observedGeneration ?? 0;
  const desired = deployment.spec?.replicas ?? 1;
  const updated = deployment.status?.updatedReplicas ?? 0;
  const total = deployment.status?.replicas ?? 0;
  const available = deployment.status?.availableReplicas ?? 0;
  const revision = deployment.metadata?.annotations?.[REVISION_ANNOTATION];
  const inProgress = observed < generation || updated < desired || total > updated || available < updated;
  const named = `deployment ${refString(ref)}${revision ? ` revision ${revision}` : ''}`;
  return {
    revision: `${refString(ref)}@${revision ?? ''}:${generation}:${observed}:${updated}`,
    inProgress,
    detail: inProgress
      ? `${named} is rolling out: ${updated} of ${desired} replicas updated`
      : `${named} is rolled out`,
  };
}

/**
 * The ready endpoints of a Service's slices, each as the subgraph's URL with the endpoint's
 * address and port: the slice port matching the URL's port, else the only one, else one
 * named http or graphql. An unset `ready` means ready (discovery.k8s.io/v1).
 */
function readyEndpoints(slices: readonly V1EndpointSlice[], subgraphUrl: string): ServingEndpoint[] {
  const url = new URL(subgraphUrl);
  const urlPort = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  return slices.flatMap((slice) => {
    const ports = slice.ports ?? [];
    const port =
      ports.find((p) => p.port === urlPort) ??
      (ports.length === 1 ? ports[0] : ports.find((p) => p.name === 'http' || p.name === 'graphql'));
    return (slice.endpoints ?? [])
      .filter((endpoint) => endpoint.conditions?.ready !== false && endpoint.addresses.length > 0)
      .map((endpoint) => {
        const address = endpoint.addresses[0]!;
        const host = address.includes(':') ? `[${address}]` : address;
        return {
          id: endpoint.targetRef?.name ?? address,
          url: `${url.protocol}//${host}:${port?.port ?? urlPort}${url.pathname}${url.search}`,
        };
      });
  });
}
