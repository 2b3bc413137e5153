import { DiscoveryV1Api, type KubeConfig, type V1EndpointSlice } from '@kubernetes/client-node';
import type { ResilientInformer } from '../../src/sources/kubernetes/resilientInformer.js';
import { follow } from './cluster.js';
import { TcpProxy } from './tcpProxy.js';

/**
 * A Service's virtual IP on a loopback port, as kube-proxy makes it: each new connection
 * goes to one of the Service's ready endpoints (round robin), read from its
 * EndpointSlices; with none ready it is refused. A cluster's DNS name and ClusterIP
 * cannot exist here, so what would dial `customers.shop.svc.cluster.local:4001` dials
 * `127.0.0.1:<port()>` instead.
 */
export class ServiceProxy implements AsyncDisposable {
  private readonly informer: ResilientInformer<V1EndpointSlice>;
  private readonly proxy = new TcpProxy(() => this.next());
  private turn = 0;
  private listening?: number;

  constructor(kubeConfig: KubeConfig, namespace: string, service: string) {
    const discovery = kubeConfig.makeApiClient(DiscoveryV1Api);
    const labelSelector = `kubernetes.io/service-name=${service}`;
    this.informer = follow<V1EndpointSlice>({
      kubeConfig,
      path: `/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices`,
      list: () => discovery.listNamespacedEndpointSlice({ namespace, labelSelector }),
      labelSelector,
      onChange: () => {},
    });
  }

  async start(): Promise<this> {
    await this.informer.start();
    this.listening = await this.proxy.start();
    return this;
  }

  /** The loopback port that stands for the Service. */
  port(): number {
    if (this.listening === undefined) throw new Error('ServiceProxy: start() first');
    return this.listening;
  }

  /** Ready endpoints now, as host:port. */
  endpoints(): { host: string; port: number }[] {
    return this.informer.objects().flatMap((slice) => {
      const port = slice.ports?.[0]?.port;
      if (!port) return [];
      return (slice.endpoints ?? [])
        .filter((e) => e.conditions?.ready !== false)
        .flatMap((e) => e.addresses.map((host) => ({ host, port })));
    });
  }

  async stop(): Promise<void> {
    await this.proxy.stop();
    await this.informer.stop();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  private next(): { host: string; port: number } | undefined {
    const ready = this.endpoints();
    if (ready.length === 0) return undefined;
    return ready[this.turn++ % ready.length];
  }
}
