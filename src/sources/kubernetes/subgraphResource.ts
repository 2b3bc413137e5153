import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';

/** The Subgraph custom resource (k8s/base/subgraph-crd.yaml). */
export const SUBGRAPH_RESOURCE = {
  group: 'affordance-gateway.io',
  version: 'v1alpha1',
  plural: 'subgraphs',
  kind: 'Subgraph',
  apiVersion: 'affordance-gateway.io/v1alpha1',
} as const;

/** `/apis/affordance-gateway.io/v1alpha1/namespaces/NS/subgraphs`, the collection an informer watches. */
export const subgraphResourcesPath = (namespace: string) =>
  `/apis/${SUBGRAPH_RESOURCE.group}/${SUBGRAPH_RESOURCE.version}/namespaces/${namespace}/${SUBGRAPH_RESOURCE.plural}`;

export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** A status condition, as Kubernetes objects report them (metav1.Condition). */
export interface SubgraphCondition {
  readonly type: 'Available' | 'Composed';
  readonly status: ConditionStatus;
  /** CamelCase, for machines (e.g. ReplicasUnavailable). */
  readonly reason: string;
  /** For people: the gateway's own reason. */
  readonly message: string;
  /** RFC 3339; changes only when `status` does. */
  readonly lastTransitionTime: string;
  readonly observedGeneration?: number;
}

/** What the gateway writes into a Subgraph's status subresource. */
export interface SubgraphResourceStatus {
  readonly observedGeneration?: number;
  readonly conditions?: readonly SubgraphCondition[];
  /** Where the gateway calls the subgraph. */
  readonly url?: string;
  readonly replicas?: readonly { readonly workload: string; readonly available: number; readonly desired: number }[];
  readonly versions?: readonly { readonly hash: string; readonly endpoints: number }[];
  /** "Query.customers", "Mutation.createCustomer". */
  readonly unavailableOperations?: readonly string[];
}

/** A Subgraph as the API server returns it; `spec` is checked by the gateway before use (subgraphResources.ts). */
export interface SubgraphResource extends KubernetesObject {
  spec?: unknown;
  status?: SubgraphResourceStatus;
}

/** "namespace/name" of a resource. */
export const resourceKey = (resource: KubernetesObject) => `${resource.metadata?.namespace}/${resource.metadata?.name}`;

/** How the gateway uses one resource: the status writer reports it. */
export type ResourceUse =
  | { readonly kind: 'declares' }
  /** The config file defines a subgraph of the same name, and wins. */
  | { readonly kind: 'shadowed' }
  | { readonly kind: 'invalid'; readonly problem: string }
  /** Another resource (in another namespace) declares the same name first. */
  | { readonly kind: 'duplicate'; readonly declaredBy: string };

export interface SubgraphResourceState {
  /** As cached by the informer, status included. */
  readonly resource: SubgraphResource;
  readonly use: ResourceUse;
}

/** What follows Subgraph resources (the Kubernetes source): read by the status writer. */
export interface SubgraphResourceFeed {
  subgraphResources(): readonly SubgraphResourceState[];
  /** Called after every change of a cached resource, status changes included. */
  onSubgraphResourcesChange(listener: () => void): () => void;
  /** The connection and namespaces it watches, once started. */
  watching(): { readonly kubeConfig: KubeConfig; readonly namespaces: readonly string[] } | undefined;
}

export function isSubgraphResourceFeed<T extends object>(source: T): source is T & SubgraphResourceFeed {
  return 'subgraphResources' in source && 'onSubgraphResourcesChange' in source && 'watching' in source;
}
