import type { GatewayConfig, KubernetesTargetConfig } from '../../config/schema.js';

/** A namespaced object reference. */
export interface ObjectRef {
  readonly namespace: string;
  readonly name: string;
}

/** Set on what a subgraph needs for a backend it depends on: the backend's name (a key of the config's `backends`). */
export interface OfBackend {
  readonly backend?: string;
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
  readonly deployments: readonly (ObjectRef &
    OfBackend & { readonly minAvailable: number; readonly servesSchema: boolean })[];
  /** StatefulSets it needs (a database a backend keeps its data in, say); no rollout is followed for them. */
  readonly statefulSets: readonly (ObjectRef & OfBackend & { readonly minAvailable: number })[];
  /** Services that need a ready endpoint (checked only when EndpointSlices are on). */
  readonly services: readonly (ObjectRef & OfBackend)[];
}

/** "name" in the default namespace, or "namespace/name". */
export function parseRef(ref: string, defaultNamespace: string): ObjectRef {
  const [first, second] = ref.split('/', 2);
  return second === undefined ? { namespace: defaultNamespace, name: first! } : { namespace: first!, name: second };
}

export const refString = (ref: ObjectRef) => `${ref.namespace}/${ref.name}`;

/** `{ backend }` when the object is needed for a backend, else nothing (spread into a requirement or a check). */
export const ofBackend = ({ backend }: OfBackend): OfBackend => (backend === undefined ? {} : { backend });

/**
 * Requirements of every configured subgraph: its own Deployments and StatefulSets and those
 * of the backends it depends on.
 */
export function requirementsFromConfig(
  config: Pick<GatewayConfig, 'subgraphs' | 'backends'>,
  defaultNamespace: string,
): SubgraphRequirements[] {
  return Object.entries(config.subgraphs).flatMap(([subgraph, def]) => {
    const targets: (KubernetesTargetConfig & OfBackend & { servesSchema: boolean })[] = [
      ...(def.kubernetes ? [{ ...def.kubernetes, servesSchema: true }] : []),
      ...def.dependsOn.flatMap((backend) => {
        const target = config.backends[backend]?.kubernetes;
        return target ? [{ ...target, servesSchema: false, backend }] : [];
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
            ...ofBackend(t),
          })),
        ),
        statefulSets: targets.flatMap((t) =>
          t.statefulSets.map((s) => ({
            ...parseRef(s, defaultNamespace),
            minAvailable: t.minAvailable,
            ...ofBackend(t),
          })),
        ),
        services: targets.flatMap((t) =>
          t.service ? [{ ...parseRef(t.service, defaultNamespace), ...ofBackend(t) }] : [],
        ),
      },
    ];
  });
}
