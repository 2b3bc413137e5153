import type { GatewayConfig, KubernetesTargetConfig } from '../../config/schema.js';

/** A namespaced object reference. */
export interface ObjectRef {
  readonly namespace: string;
  readonly name: string;
}

/** What one subgraph needs from the cluster to be available. */
export interface SubgraphRequirements {
  readonly subgraph: string;
  /** Its GraphQL endpoint: an endpoint of its Service is read at the same port and path. */
  readonly url: string;
  /**
   * `servesSchema`: the Deployment runs the subgraph itself (not a backend it depends on),
   * so a rollout of it may change the subgraph's schema.
   */
  readonly deployments: readonly (ObjectRef & { readonly minAvailable: number; readonly servesSchema: boolean })[];
  /** StatefulSets it needs (a database a backend keeps its data in, say); no rollout is followed for them. */
  readonly statefulSets: readonly (ObjectRef & { readonly minAvailable: number })[];
  /** Services that need a ready endpoint (checked only when EndpointSlices are on). */
  readonly services: readonly ObjectRef[];
}

/** "name" in the default namespace, or "namespace/name". */
export function parseRef(ref: string, defaultNamespace: string): ObjectRef {
  const [first, second] = ref.split('/', 2);
  return second === undefined ? { namespace: defaultNamespace, name: first! } : { namespace: first!, name: second };
}

export const refString = (ref: ObjectRef) => `${ref.namespace}/${ref.name}`;

/**
 * Requirements of every configured subgraph: its own Deployments and StatefulSets and those
 * of the backends it depends on.
 */
export function requirementsFromConfig(
  config: Pick<GatewayConfig, 'subgraphs' | 'backends'>,
  defaultNamespace: string,
): SubgraphRequirements[] {
  return Object.entries(config.subgraphs).flatMap(([subgraph, def]) => {
    const targets: (KubernetesTargetConfig & { servesSchema: boolean })[] = [
      ...(def.kubernetes ? [{ ...def.kubernetes, servesSchema: true }] : []),
      ...def.dependsOn.flatMap((backend) => {
        const target = config.backends[backend]?.kubernetes;
        return target ? [{ ...target, servesSchema: false }] : [];
      }),
    ];
    if (targets.length === 0) return [];
    return [
      {
        subgraph,
        url: def.url,
        deployments: targets.flatMap((t) =>
          t.deployments.map((d) => ({
            ...parseRef(d, defaultNamespace),
            minAvailable: t.minAvailable,
            servesSchema: t.servesSchema,
          })),
        ),
        statefulSets: targets.flatMap((t) =>
          t.statefulSets.map((s) => ({ ...parseRef(s, defaultNamespace), minAvailable: t.minAvailable })),
        ),
        services: targets.flatMap((t) => (t.service ? [parseRef(t.service, defaultNamespace)] : [])),
      },
    ];
  });
}
