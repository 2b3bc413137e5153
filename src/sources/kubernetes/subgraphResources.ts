import { z } from 'zod';
import {
  backendSchema,
  httpUrl,
  kubernetesTarget,
  type BackendConfig,
  type GatewayConfig,
  type SubgraphConfig,
} from '../../config/schema.js';
import { SUBGRAPH_NAME, subgraphNameProblem } from '../../config/subgraphName.js';
import { refString, requirementsFromConfig, type SubgraphRequirements } from './requirements.js';
import { resourceKey, type ResourceUse, type SubgraphResource } from './subgraphResource.js';

/** A subgraph declared by a Subgraph resource. */
export interface DiscoveredSubgraph {
  readonly name: string;
  readonly url: string;
  /** Where it was declared, for messages: "Subgraph shop/customers". */
  readonly declaredBy: string;
  readonly errors: SubgraphConfig['errors'];
  readonly requirements: SubgraphRequirements;
  /** The resource as the config file would say it (the subgraph and its backends), for the probes. */
  readonly config: Pick<GatewayConfig, 'subgraphs' | 'backends'>;
}

export interface ResourceSubgraphs {
  /** Every subgraph the resources declare, those the config file shadows included (the subgraph set logs those). */
  readonly subgraphs: readonly DiscoveredSubgraph[];
  /** By "namespace/name" of the resource. */
  readonly uses: ReadonlyMap<string, ResourceUse>;
}

/**
 * The spec, checked with the config file's own rules (URLs, workloads, backends): the CRD's
 * schema validates it on the API server, this catches what it cannot (a port fetch refuses)
 * and a CRD older or newer than the gateway.
 */
const specSchema = z
  .strictObject({
    service: z
      .strictObject({
        name: z.string().min(1),
        port: z.number().int().min(1).max(65535),
        path: z.string().startsWith('/').default('/graphql'),
      })
      .optional(),
    url: httpUrl.optional(),
    errors: z.enum(['redact', 'passthrough']).default('redact'),
    probe: z.boolean().default(true),
    kubernetes: kubernetesTarget.optional(),
    backends: z
      .array(backendSchema.extend({ name: z.string().regex(SUBGRAPH_NAME, 'must be a DNS label') }))
      .default([]),
  })
  .refine((spec) => spec.url !== undefined || spec.service !== undefined, {
    message: 'set service (the Service in front of the subgraph) or url',
  });

/**
 * The subgraphs Subgraph resources declare; pure. Resources are taken in namespace/name
 * order, so of two with one name (in two namespaces) the first always wins.
 */
export function subgraphsFromResources(
  resources: readonly SubgraphResource[],
  options: { readonly namespaces: readonly string[]; readonly configured: ReadonlySet<string> },
): ResourceSubgraphs {
  const subgraphs: DiscoveredSubgraph[] = [];
  const uses = new Map<string, ResourceUse>();
  const sorted = [...resources].sort((a, b) => resourceKey(a).localeCompare(resourceKey(b)));
  for (const resource of sorted) {
    const key = resourceKey(resource);
    const parsed = parseResource(resource, options.namespaces);
    if ('problem' in parsed) {
      uses.set(key, { kind: 'invalid', problem: parsed.problem });
      continue;
    }
    const first = subgraphs.find((s) => s.name === parsed.name);
    if (first) {
      uses.set(key, { kind: 'duplicate', declaredBy: first.declaredBy });
      continue;
    }
    subgraphs.push(parsed);
    uses.set(key, options.configured.has(parsed.name) ? { kind: 'shadowed' } : { kind: 'declares' });
  }
  return { subgraphs, uses };
}

function parseResource(
  resource: SubgraphResource,
  namespaces: readonly string[],
): DiscoveredSubgraph | { problem: string } {
  const name = resource.metadata?.name ?? '';
  const namespace = resource.metadata?.namespace ?? 'default';
  const nameProblem = subgraphNameProblem(name);
  if (nameProblem) return { problem: `the name "${name}" is not a subgraph name: ${nameProblem}` };
  const result = specSchema.safeParse(resource.spec);
  if (!result.success) {
    return {
      problem: result.error.issues
        .map(
          (issue) =>
            `spec${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}: ${issue.message}`,
        )
        .join('; '),
    };
  }
  const spec = result.data;
  const url =
    spec.url ??
    `http://${spec.service!.name}.${namespace}.svc.cluster.local:${spec.service!.port}${spec.service!.path}`;
  const urlCheck = httpUrl.safeParse(url);
  if (!urlCheck.success) return { problem: `spec.service: ${urlCheck.error.issues[0]!.message}` };
  const backends: Record<string, BackendConfig> = Object.fromEntries(
    spec.backends.map(({ name: backend, ...rest }) => [backend, rest]),
  );
  const ownTarget = spec.kubernetes && {
    ...spec.kubernetes,
    // The subgraph's own Service is the one whose endpoints serve it.
    service: spec.kubernetes.service ?? spec.service?.name,
  };
  const subgraph: SubgraphConfig = {
    url,
    dependsOn: Object.keys(backends),
    probe: spec.probe,
    errors: spec.errors,
    ...(ownTarget && { kubernetes: ownTarget }),
  };
  const config = { subgraphs: { [name]: subgraph }, backends };
  // Plain names are in the resource's own namespace.
  const [requirements] = requirementsFromConfig(config, namespace);
  if (!requirements) return { problem: 'nothing tells the gateway what it needs; set spec.kubernetes.deployments' };
  const outside = [...requirements.deployments, ...requirements.statefulSets, ...requirements.services].find(
    (ref) => !namespaces.includes(ref.namespace),
  );
  if (outside) {
    return {
      problem:
        `it needs ${refString(outside)}, but the gateway does not watch namespace ${outside.namespace}; ` +
        'add it to availability.kubernetes.namespaces',
    };
  }
  return {
    name,
    url,
    declaredBy: `Subgraph ${namespace}/${name}`,
    errors: spec.errors,
    requirements,
    config,
  };
}
