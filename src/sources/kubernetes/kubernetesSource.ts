import {
  AppsV1Api,
  CustomObjectsApi,
  DiscoveryV1Api,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  type V1Deployment,
  type V1EndpointSlice,
  type V1StatefulSet,
} from '@kubernetes/client-node';
import type { GatewayConfig, KubernetesConfig } from '../../config/schema.js';
import type { AvailabilitySource, CheckStatus } from '../../availability/types.js';
import type { SubgraphDiscovery } from '../../availability/subgraphSet.js';
import type { Logger } from '../../platform/logger.js';
import { clusterChecks } from './clusterChecks.js';
import { connect, type Connection } from './connect.js';
import { refString, requirementsFromConfig, type SubgraphRequirements } from './requirements.js';
import { ListError, ResilientInformer, type WatchHealth } from './resilientInformer.js';
import { ResourceProbes } from './resourceProbes.js';
import {
  resourceKey,
  SUBGRAPH_RESOURCE,
  subgraphResourcesPath,
  type ResourceUse,
  type SubgraphResource,
  type SubgraphResourceFeed,
  type SubgraphResourceState,
} from './subgraphResource.js';
import { subgraphsFromResources, type DiscoveredSubgraph } from './subgraphResources.js';

export interface KubernetesSourceOptions {
  /**
   * What it reads of the config: the subgraphs and backends, its own settings, and whether
   * the probe source runs (then it probes what Subgraph resources declare too).
   */
  config: Pick<GatewayConfig, 'subgraphs' | 'backends'> & {
    availability: Pick<GatewayConfig['availability'], 'kubernetes' | 'sources' | 'probe'>;
  };
  logger: Logger;
  /** Injected in tests; by default from the pod's service account or the kubeconfig. */
  connection?: Connection;
}

type Kind = 'deployments' | 'statefulsets' | 'endpointslices' | 'subgraphs';

interface Apis {
  readonly apps: AppsV1Api;
  readonly discovery: DiscoveryV1Api;
  readonly custom: CustomObjectsApi;
}

/** One kind of object the source watches in each namespace: its name for logs, its watch path and its list call. */
interface Watch {
  readonly kind: Kind;
  readonly resource: string;
  path(namespace: string): string;
  list(
    apis: Apis,
    namespace: string,
    labelSelector: string | undefined,
  ): Promise<KubernetesListObject<KubernetesObject>>;
  /** Whether `availability.kubernetes.labelSelector` applies. */
  readonly selects: boolean;
}

const { group, version, plural } = SUBGRAPH_RESOURCE;

const WATCHES: readonly Watch[] = [
  {
    kind: 'deployments',
    resource: 'deployments.apps',
    path: (namespace) => `/apis/apps/v1/namespaces/${namespace}/deployments`,
    list: ({ apps }, namespace, labelSelector) => apps.listNamespacedDeployment({ namespace, labelSelector }),
    selects: true,
  },
  {
    kind: 'statefulsets',
    resource: 'statefulsets.apps',
    path: (namespace) => `/apis/apps/v1/namespaces/${namespace}/statefulsets`,
    list: ({ apps }, namespace, labelSelector) => apps.listNamespacedStatefulSet({ namespace, labelSelector }),
    selects: true,
  },
  {
    kind: 'endpointslices',
    resource: 'endpointslices.discovery.k8s.io',
    path: (namespace) => `/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices`,
    list: ({ discovery }, namespace) => discovery.listNamespacedEndpointSlice({ namespace }),
    // Slices carry the Service's name label, not necessarily its other labels: no selector.
    selects: false,
  },
  {
    kind: 'subgraphs',
    resource: `subgraphs.${group}`,
    path: subgraphResourcesPath,
    list: ({ custom }, namespace, labelSelector) =>
      custom.listNamespacedCustomObject({ group, version, namespace, plural, labelSelector }) as Promise<
        KubernetesListObject<SubgraphResource>
      >,
    selects: true,
  },
];

/**
 * Availability from the cluster: informers fill caches (Deployments; StatefulSets when the
 * config names one or Subgraph resources are on; EndpointSlices and Subgraph resources when
 * enabled), and every snapshot recomputes all checks from the caches. Watching is kept
 * apart from deciding, so a lost or repeated event cannot leave a verdict wrong.
 */
export class KubernetesSource implements AvailabilitySource, SubgraphDiscovery, SubgraphResourceFeed {
  readonly name = 'kubernetes';
  private readonly informers: { kind: Kind; namespace: string; informer: ResilientInformer<KubernetesObject> }[] = [];
  private readonly since = new Map<string, { ok: boolean; since: Date }>();
  private readonly discoveryListeners = new Set<() => void>();
  private readonly resourceListeners = new Set<() => void>();
  private readonly settings: KubernetesConfig;
  /** Every subgraph the config file names, Kubernetes targets or not: a resource of one of these names is shadowed. */
  private readonly configuredNames: ReadonlySet<string>;
  private configured: SubgraphRequirements[] = [];
  private discovered: readonly DiscoveredSubgraph[] = [];
  private uses: ReadonlyMap<string, ResourceUse> = new Map();
  private reportedProblems = '';
  private probes?: ResourceProbes;
  private started?: { kubeConfig: KubeConfig; namespaces: readonly string[] };

  constructor(private readonly options: KubernetesSourceOptions) {
    this.settings = options.config.availability.kubernetes;
    this.configuredNames = new Set(Object.keys(options.config.subgraphs));
  }

  async start(onChange: () => void): Promise<void> {
    const connection = this.options.connection ?? connect({ context: this.settings.context });
    const namespaces = this.settings.namespaces ?? [connection.defaultNamespace];
    this.configured = requirementsFromConfig(this.options.config, namespaces[0]!);
    this.checkNamespaces(namespaces);
    this.options.logger.info({ namespaces, via: connection.description }, 'watching Kubernetes');

    const { kubeConfig } = connection;
    const apis: Apis = {
      apps: kubeConfig.makeApiClient(AppsV1Api),
      discovery: kubeConfig.makeApiClient(DiscoveryV1Api),
      custom: kubeConfig.makeApiClient(CustomObjectsApi),
    };
    const labelSelector = this.settings.labelSelector;
    const resources = this.settings.subgraphResources !== false;
    const watched: Record<Kind, boolean> = {
      deployments: true,
      // Watched when the config names one, or with Subgraph resources (one may name one at any
      // time): a Role without statefulsets keeps working for a config with neither.
      statefulsets: resources || this.configured.some((r) => r.statefulSets.length > 0),
      endpointslices: this.settings.endpointSlices,
      subgraphs: resources,
    };
    const resourcesChanged = () => {
      this.refreshDiscovery();
      for (const listener of this.resourceListeners) listener();
      onChange();
    };
    if (resources && this.options.config.availability.sources.includes('probe')) {
      this.probes = new ResourceProbes({ probe: this.options.config.availability.probe, onChange });
    }
    for (const namespace of namespaces) {
      for (const watch of WATCHES.filter((w) => watched[w.kind])) {
        const selector = watch.selects ? labelSelector : undefined;
        const informer = new ResilientInformer<KubernetesObject>({
          kubeConfig,
          resource: `${watch.resource} in namespace ${namespace}`,
          path: watch.path(namespace),
          list: () => watch.list(apis, namespace, selector),
          labelSelector: selector,
          watchdogMs: this.settings.watchdogMs,
          initialBackoffMs: this.settings.initialBackoffMs,
          maxBackoffMs: this.settings.maxBackoffMs,
          logger: this.options.logger,
          onChange: watch.kind === 'subgraphs' ? resourcesChanged : onChange,
        });
        this.informers.push({ kind: watch.kind, namespace, informer });
      }
    }
    this.started = { kubeConfig, namespaces };
    await Promise.all(
      this.informers.map(({ kind, informer }) =>
        informer.start().catch((error: unknown) => {
          // The API server knows no such resource: the CRD is missing, not the Role.
          if (kind === 'subgraphs' && error instanceof ListError && error.status === 404) {
            throw new Error(
              `the API server has no Subgraph resources (${SUBGRAPH_RESOURCE.plural}.${SUBGRAPH_RESOURCE.group}): ` +
                'install the CRD (kubectl apply -f k8s/base/subgraph-crd.yaml) or turn off availability.kubernetes.subgraphResources',
            );
          }
          throw error;
        }),
      ),
    );
    this.refreshDiscovery();
    await this.probes?.follow(this.probed());
  }

  async stop(): Promise<void> {
    await Promise.all(this.informers.map(({ informer }) => informer.stop()));
    await this.probes?.stop();
  }

  snapshot(): readonly CheckStatus[] {
    const deployments = this.objects<V1Deployment>('deployments');
    const statefulSets = this.objects<V1StatefulSet>('statefulsets');
    const endpointSlices = this.settings.endpointSlices ? this.objects<V1EndpointSlice>('endpointslices') : undefined;
    const requirements = [...this.configured, ...this.probed().map((d) => d.requirements)];
    const now = new Date();
    const cluster = clusterChecks(requirements, { deployments, statefulSets, endpointSlices }).map((check) => {
      const key = `${check.subgraph} ${check.id}`;
      const before = this.since.get(key);
      const since = before && before.ok === check.ok ? before.since : now;
      this.since.set(key, { ok: check.ok, since });
      return { ...check, reason: check.reason + this.staleness(check.id), since };
    });
    return [...cluster, ...(this.probes?.snapshot() ?? [])];
  }

  /** Subgraphs declared by Subgraph resources (when on), those the config file also defines included. */
  discoveredSubgraphs(): readonly DiscoveredSubgraph[] {
    return this.discovered;
  }

  onDiscoveryChange(listener: () => void): () => void {
    this.discoveryListeners.add(listener);
    return () => this.discoveryListeners.delete(listener);
  }

  /** Every cached Subgraph resource (status included) and what the gateway makes of it. */
  subgraphResources(): readonly SubgraphResourceState[] {
    return this.objects<SubgraphResource>('subgraphs').map((resource) => ({
      resource,
      use: this.uses.get(resourceKey(resource)) ?? { kind: 'invalid', problem: 'not read yet' },
    }));
  }

  onSubgraphResourcesChange(listener: () => void): () => void {
    this.resourceListeners.add(listener);
    return () => this.resourceListeners.delete(listener);
  }

  /** The connection and namespaces it watches, once started. */
  watching(): { readonly kubeConfig: KubeConfig; readonly namespaces: readonly string[] } | undefined {
    return this.started;
  }

  /** Restarts after errors or silence, summed over every watch. */
  watchRestarts(): number {
    return this.informers.reduce((sum, { informer }) => sum + informer.restarts, 0);
  }

  /** Health of every watch, for status pages and tests. */
  watchHealth(): { resource: string; health: WatchHealth; lists: number }[] {
    return this.informers.map(({ kind, namespace, informer }) => ({
      resource: `${kind} in ${namespace}`,
      health: informer.status(),
      lists: informer.lists,
    }));
  }

  private objects<T>(kind: Kind): T[] {
    return this.informers.filter((i) => i.kind === kind).flatMap(({ informer }) => informer.objects() as T[]);
  }

  /** A suffix saying the state shown may be stale, when the watch it comes from is not healthy. */
  private staleness(checkId: string): string {
    const kind: Kind = checkId.startsWith('endpoints ')
      ? 'endpointslices'
      : checkId.startsWith('statefulset ')
        ? 'statefulsets'
        : 'deployments';
    const namespace = checkId.split(' ')[1]!.split('/')[0];
    const watch = this.informers.find((i) => i.kind === kind && i.namespace === namespace)?.informer.status();
    if (!watch || watch.state === 'watching') return '';
    return ` (last known state: the watch of ${kind} in ${namespace} is ${watch.state} since ${watch.since.toISOString()}: ${watch.error})`;
  }

  /** The resources' subgraphs the config file does not shadow: checked and probed. */
  private probed(): readonly DiscoveredSubgraph[] {
    return this.discovered.filter((d) => !this.configuredNames.has(d.name));
  }

  private refreshDiscovery(): void {
    const { subgraphs, uses } = subgraphsFromResources(this.objects<SubgraphResource>('subgraphs'), {
      namespaces: this.started?.namespaces ?? [],
      configured: this.configuredNames,
    });
    this.uses = uses;
    const problems = [...uses].flatMap(([key, use]) =>
      use.kind === 'invalid'
        ? [`Subgraph ${key}: ${use.problem}`]
        : use.kind === 'duplicate'
          ? [`Subgraph ${key}: ${use.declaredBy} already declares this subgraph`]
          : [],
    );
    const text = problems.join('\n');
    if (text && text !== this.reportedProblems) this.options.logger.warn({ problems }, 'Subgraph resources not used');
    this.reportedProblems = text;
    if (JSON.stringify(subgraphs) === JSON.stringify(this.discovered)) return;
    this.discovered = subgraphs;
    void this.probes?.follow(this.probed());
    for (const listener of this.discoveryListeners) listener();
  }

  private checkNamespaces(namespaces: readonly string[]): void {
    for (const requirement of this.configured) {
      for (const ref of [...requirement.deployments, ...requirement.statefulSets, ...requirement.services]) {
        if (!namespaces.includes(ref.namespace)) {
          throw new Error(
            `subgraph ${requirement.subgraph} needs ${refString(ref)}, but namespace ${ref.namespace} is not watched; ` +
              'add it to availability.kubernetes.namespaces',
          );
        }
      }
    }
  }
}
