import {
  AppsV1Api,
  CoreV1Api,
  DiscoveryV1Api,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  type V1Deployment,
  type V1EndpointSlice,
  type V1Service,
  type V1StatefulSet,
} from '@kubernetes/client-node';
import type { GatewayConfig, KubernetesConfig } from '../../config/schema.js';
import type { AvailabilitySource, CheckStatus } from '../../availability/types.js';
import type { SubgraphDiscovery } from '../../availability/subgraphSet.js';
import type { Logger } from '../../platform/logger.js';
import { clusterChecks } from './clusterChecks.js';
import { connect, type Connection } from './connect.js';
import { discoverSubgraphs, type DiscoveredSubgraph } from './discovery.js';
import { refString, requirementsFromConfig, type SubgraphRequirements } from './requirements.js';
import { ResilientInformer, type WatchHealth } from './resilientInformer.js';

export interface KubernetesSourceOptions {
  /** What it reads of the config: the subgraphs and backends, and its own settings. */
  config: Pick<GatewayConfig, 'subgraphs' | 'backends'> & {
    availability: Pick<GatewayConfig['availability'], 'kubernetes'>;
  };
  logger: Logger;
  /** Injected in tests; by default from the pod's service account or the kubeconfig. */
  connection?: Connection;
}

type Kind = 'deployments' | 'statefulsets' | 'endpointslices' | 'services';

/**
 * Availability from the cluster: informers fill caches (Deployments; StatefulSets when the
 * config names one; EndpointSlices and annotated Services when enabled), and every snapshot recomputes all checks from the
 * caches. Watching is kept apart from deciding, so a lost or repeated event cannot
 * leave a verdict wrong.
 */
export class KubernetesSource implements AvailabilitySource, SubgraphDiscovery {
  readonly name = 'kubernetes';
  private readonly informers: { kind: Kind; namespace: string; informer: ResilientInformer<KubernetesObject> }[] = [];
  private readonly since = new Map<string, { ok: boolean; since: Date }>();
  private readonly discoveryListeners = new Set<() => void>();
  private readonly settings: KubernetesConfig;
  private configured: SubgraphRequirements[] = [];
  private discovered: readonly DiscoveredSubgraph[] = [];
  private reportedProblems = '';

  constructor(private readonly options: KubernetesSourceOptions) {
    this.settings = options.config.availability.kubernetes;
  }

  async start(onChange: () => void): Promise<void> {
    const connection = this.options.connection ?? connect({ context: this.settings.context });
    const namespaces = this.settings.namespaces ?? [connection.defaultNamespace];
    this.configured = requirementsFromConfig(this.options.config, namespaces[0]!);
    this.checkNamespaces(namespaces);
    this.options.logger.info({ namespaces, via: connection.description }, 'watching Kubernetes');

    const { kubeConfig } = connection;
    const apps = kubeConfig.makeApiClient(AppsV1Api);
    const discoveryApi = kubeConfig.makeApiClient(DiscoveryV1Api);
    const core = kubeConfig.makeApiClient(CoreV1Api);
    const labelSelector = this.settings.labelSelector;
    // Only watched when named, so a Role without statefulsets keeps working for configs without them.
    const watchStatefulSets = this.configured.some((r) => r.statefulSets.length > 0);
    const changed = () => {
      this.refreshDiscovery();
      onChange();
    };
    for (const namespace of namespaces) {
      this.add(
        kubeConfig,
        'deployments',
        namespace,
        `deployments.apps in namespace ${namespace}`,
        `/apis/apps/v1/namespaces/${namespace}/deployments`,
        () => apps.listNamespacedDeployment({ namespace, labelSelector }),
        labelSelector,
        changed,
      );
      if (watchStatefulSets) {
        this.add(
          kubeConfig,
          'statefulsets',
          namespace,
          `statefulsets.apps in namespace ${namespace}`,
          `/apis/apps/v1/namespaces/${namespace}/statefulsets`,
          () => apps.listNamespacedStatefulSet({ namespace, labelSelector }),
          labelSelector,
          changed,
        );
      }
      if (this.settings.endpointSlices) {
        // Slices carry the Service's name label, not necessarily its other labels: no selector.
        this.add(
          kubeConfig,
          'endpointslices',
          namespace,
          `endpointslices.discovery.k8s.io in namespace ${namespace}`,
          `/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices`,
          () => discoveryApi.listNamespacedEndpointSlice({ namespace }),
          undefined,
          changed,
        );
      }
      if (this.settings.discovery) {
        this.add(
          kubeConfig,
          'services',
          namespace,
          `services in namespace ${namespace}`,
          `/api/v1/namespaces/${namespace}/services`,
          () => core.listNamespacedService({ namespace, labelSelector }),
          labelSelector,
          changed,
        );
      }
    }
    await Promise.all(this.informers.map(({ informer }) => informer.start()));
    this.refreshDiscovery();
  }

  async stop(): Promise<void> {
    await Promise.all(this.informers.map(({ informer }) => informer.stop()));
  }

  snapshot(): readonly CheckStatus[] {
    const deployments = this.objects<V1Deployment>('deployments');
    const statefulSets = this.objects<V1StatefulSet>('statefulsets');
    const endpointSlices = this.settings.endpointSlices ? this.objects<V1EndpointSlice>('endpointslices') : undefined;
    const configuredNames = new Set(this.configured.map((r) => r.subgraph));
    const requirements = [
      ...this.configured,
      ...this.discovered.filter((d) => !configuredNames.has(d.name)).map((d) => d.requirements),
    ];
    const now = new Date();
    return clusterChecks(requirements, { deployments, statefulSets, endpointSlices }).map((check) => {
      const key = `${check.subgraph} ${check.id}`;
      const before = this.since.get(key);
      const since = before && before.ok === check.ok ? before.since : now;
      this.since.set(key, { ok: check.ok, since });
      return { ...check, reason: check.reason + this.staleness(check.id), since };
    });
  }

  /** Subgraphs declared by annotated Services (discovery on), config names excluded. */
  discoveredSubgraphs(): readonly DiscoveredSubgraph[] {
    return this.discovered;
  }

  onDiscoveryChange(listener: () => void): () => void {
    this.discoveryListeners.add(listener);
    return () => this.discoveryListeners.delete(listener);
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

  private add<T extends KubernetesObject>(
    kubeConfig: KubeConfig,
    kind: Kind,
    namespace: string,
    resource: string,
    path: string,
    list: () => Promise<KubernetesListObject<T>>,
    labelSelector: string | undefined,
    onChange: () => void,
  ): void {
    const informer = new ResilientInformer<T>({
      kubeConfig,
      resource,
      path,
      list,
      labelSelector,
      watchdogMs: this.settings.watchdogMs,
      initialBackoffMs: this.settings.initialBackoffMs,
      maxBackoffMs: this.settings.maxBackoffMs,
      logger: this.options.logger,
      onChange,
    });
    this.informers.push({ kind, namespace, informer: informer as unknown as ResilientInformer<KubernetesObject> });
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

  private refreshDiscovery(): void {
    if (!this.settings.discovery) return;
    const { subgraphs, problems } = discoverSubgraphs(this.objects<V1Service>('services'));
    const text = problems.join('\n');
    if (text && text !== this.reportedProblems) this.options.logger.warn({ problems }, 'annotated services ignored');
    this.reportedProblems = text;
    if (JSON.stringify(subgraphs) === JSON.stringify(this.discovered)) return;
    this.discovered = subgraphs;
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
