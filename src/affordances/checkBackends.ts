import type { GatewayConfig, KubernetesTargetConfig } from '../config/schema.js';
import type { SourcedCheck } from '../availability/types.js';

/** The backend (a key of the config's `backends`) a check of `subgraph` is about; undefined when it is about the subgraph itself. */
export type BackendOfCheck = (subgraph: string, check: Pick<SourcedCheck, 'source' | 'id'>) => string | undefined;

/** The kinds of the Kubernetes source's check ids ("deployment shop/customers") and the config key listing each. */
const KUBERNETES_KINDS: Readonly<Record<string, 'deployments' | 'statefulSets' | 'service'>> = {
  deployment: 'deployments',
  statefulset: 'statefulSets',
  endpoints: 'service',
};

/**
 * Which backend of its `dependsOn` each check of a subgraph is about, from the config and
 * the ids the sources give their checks: the probe source's `grpc <backend>`, and the
 * Kubernetes source's `<kind> <namespace>/<name>` for the Deployments, StatefulSets and
 * Service a backend's `kubernetes` lists (a name without namespace is in the first watched
 * namespace, which only the source knows: any namespace matches it). A check of one of the
 * subgraph's own objects, of a discovered subgraph, or of any other source is its own.
 * The one place that reads those ids; test/affordances/checkBackends.test.ts builds them
 * with the sources' own code.
 */
export function backendOfCheck(config: Pick<GatewayConfig, 'subgraphs' | 'backends'>): BackendOfCheck {
  return (subgraph, { source, id }) => {
    const def = config.subgraphs[subgraph];
    if (!def) return undefined;
    if (source === 'probe') return def.dependsOn.find((backend) => id === `grpc ${backend}`);
    if (source !== 'kubernetes' || (def.kubernetes && lists(def.kubernetes, id))) return undefined;
    return def.dependsOn.find((backend) => {
      const target = config.backends[backend]?.kubernetes;
      return target !== undefined && lists(target, id);
    });
  };
}

/** Whether a Kubernetes check id names an object the target lists. */
function lists(target: KubernetesTargetConfig, id: string): boolean {
  const space = id.indexOf(' ');
  const key = KUBERNETES_KINDS[id.slice(0, space)];
  if (!key) return false;
  const ref = id.slice(space + 1);
  const name = ref.slice(ref.indexOf('/') + 1);
  const listed = key === 'service' ? (target.service ? [target.service] : []) : target[key];
  return listed.some((entry) => (entry.includes('/') ? entry === ref : entry === name));
}
