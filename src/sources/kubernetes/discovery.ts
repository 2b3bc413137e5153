import type { V1Service } from '@kubernetes/client-node';
import { subgraphNameProblem } from '../../config/subgraphName.js';
import { parseRef, type SubgraphRequirements } from './requirements.js';

/** Annotation keys that make a Service a subgraph, all under one prefix. */
export const ANNOTATION_PREFIX = 'affordance-gateway.io/';
export const Annotations = {
  /** Subgraph name (required; marks the Service as a subgraph). */
  subgraph: `${ANNOTATION_PREFIX}subgraph`,
  /** Port of the GraphQL endpoint. Default: the Service's first port. */
  port: `${ANNOTATION_PREFIX}port`,
  /** Path of the GraphQL endpoint. Default: /graphql. */
  path: `${ANNOTATION_PREFIX}path`,
  /** Comma-separated Deployments (name or namespace/name) it needs. Default: the subgraph name. */
  deployments: `${ANNOTATION_PREFIX}deployments`,
  /** Available replicas each Deployment needs. Default: 1. */
  minAvailable: `${ANNOTATION_PREFIX}min-available`,
  /** Full URL instead of the cluster DNS name (for gateways outside the cluster). */
  url: `${ANNOTATION_PREFIX}url`,
} as const;

export interface DiscoveredSubgraph {
  readonly name: string;
  readonly url: string;
  /** "namespace/name" of the Service it came from. */
  readonly service: string;
  readonly requirements: SubgraphRequirements;
}

export interface DiscoveryResult {
  readonly subgraphs: readonly DiscoveredSubgraph[];
  /** Annotated Services that could not be used, with why. */
  readonly problems: readonly string[];
}

/** Subgraphs declared by Service annotations; pure. Duplicate names: the first Service (by namespace/name) wins. */
export function discoverSubgraphs(services: readonly V1Service[]): DiscoveryResult {
  const subgraphs: DiscoveredSubgraph[] = [];
  const problems: string[] = [];
  const sorted = [...services].sort((a, b) => key(a).localeCompare(key(b)));
  for (const service of sorted) {
    const annotations = service.metadata?.annotations ?? {};
    const name = annotations[Annotations.subgraph];
    if (name === undefined) continue;
    const where = `service ${key(service)}`;
    const namespace = service.metadata?.namespace ?? 'default';
    const problem = subgraphNameProblem(name);
    if (problem) {
      problems.push(`${where}: ${Annotations.subgraph} "${name}" is not a valid subgraph name: ${problem}`);
      continue;
    }
    const port = Number(annotations[Annotations.port] ?? service.spec?.ports?.[0]?.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      problems.push(`${where}: no usable port; set ${Annotations.port}`);
      continue;
    }
    const minAvailable = Number(annotations[Annotations.minAvailable] ?? 1);
    if (!Number.isInteger(minAvailable) || minAvailable < 1) {
      problems.push(`${where}: ${Annotations.minAvailable} must be a positive integer`);
      continue;
    }
    if (subgraphs.some((s) => s.name === name)) {
      problems.push(
        `${where}: subgraph ${name} is already declared by service ${subgraphs.find((s) => s.name === name)!.service}`,
      );
      continue;
    }
    const path = annotations[Annotations.path] ?? '/graphql';
    const deployments = (annotations[Annotations.deployments] ?? name)
      .split(',')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => ({ ...parseRef(d, namespace), minAvailable, servesSchema: true }));
    const url =
      annotations[Annotations.url] ?? `http://${service.metadata?.name}.${namespace}.svc.cluster.local:${port}${path}`;
    subgraphs.push({
      name,
      url,
      service: key(service),
      requirements: {
        subgraph: name,
        url,
        deployments,
        statefulSets: [],
        services: [{ namespace, name: service.metadata?.name ?? name }],
      },
    });
  }
  return { subgraphs, problems };
}

const key = (service: V1Service) => `${service.metadata?.namespace}/${service.metadata?.name}`;
