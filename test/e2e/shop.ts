import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import { parse as parseYaml } from 'yaml';
import { validateConfig } from '../../src/config/load.js';
import type { GatewayConfig } from '../../src/config/schema.js';
import { ENTRY_POINTS } from '../../src/stack/entryPoints.js';
import type { Harness } from './harness.js';
import { PodProcesses, type PodAddress, type PodCommand } from './podProcesses.js';
import { ServiceProxy } from './serviceProxy.js';

export const NS = 'shop';
export const OVERLAY = 'k8s/overlays/minikube';
/** The Deployments (and Services of the same names) whose pods run the demo subgraphs. */
export const COMPONENTS = ['customers', 'invoices', 'invoices-service'] as const;
/** The Subgraph resources of the manifests (k8s/base/subgraphs.yaml). */
export const SUBGRAPHS = ['customers', 'invoices'] as const;

/** The image of the demo's own containers in the manifests (the pods this suite runs processes for). */
const DEMO_IMAGE = 'affordance-gateway:dev';
export const CRD_FILE = 'k8s/base/subgraph-crd.yaml';
export const CRD = 'subgraphs.affordance-gateway.io';

/**
 * The runbook's first step: the Subgraph CRD, applied and established before anything
 * that uses it (a `kubectl apply` cannot map a kind whose CRD it creates in the same run).
 */
export async function installCrd(harness: Harness): Promise<void> {
  await harness.kubectl(['apply', '-f', CRD_FILE]);
  await harness.kubectl(['wait', '--for=condition=Established', `crd/${CRD}`, '--timeout=30s']);
}

/** `name.shop.svc.cluster.local:port`, as the manifests and the ConfigMap name a Service. */
const SERVICE_DNS = new RegExp(`\\b([a-z0-9-]+)\\.${NS}\\.svc\\.cluster\\.local:(\\d+)`, 'g');

/**
 * The shop deployed as a user deploys it, `kubectl apply -k k8s/overlays/minikube`, on
 * the harness's control plane. What cannot exist without containers stands in on
 * loopback: each subgraph pod's container is a process bound to the pod's IP (pod
 * processes, started from the container's own args and env), and each Service a
 * loopback port that forwards to its ready endpoints (cluster DNS names are rewritten
 * to it). The gateway's pods run nothing: the gateway under test runs on the host.
 */
export class Shop implements AsyncDisposable {
  readonly services = new Map<string, ServiceProxy>();
  private readonly pods: PodProcesses[] = [];

  constructor(private readonly harness: Harness) {}

  /**
   * Applies the CRD and the overlay, starts the Services and pod processes, waits for every
   * rollout. Each Subgraph's `spec.url` is set to its Service's stand-in, as for a gateway
   * outside the cluster (a later `kubectl apply -k` keeps it: the manifests do not set it).
   */
  async deploy(): Promise<this> {
    await installCrd(this.harness);
    await this.harness.kubectl(['apply', '-k', OVERLAY]);
    const kubeConfig = this.harness.adminConfig();
    for (const name of COMPONENTS) {
      this.services.set(name, await new ServiceProxy(kubeConfig, NS, name).start());
    }
    for (const name of SUBGRAPHS) await this.pointAtStandIn(name);
    for (const name of COMPONENTS) {
      this.pods.push(
        await new PodProcesses({
          kubeConfig,
          namespace: NS,
          labelSelector: `app.kubernetes.io/name=${name}`,
          commandFor: (pod, address) => this.containerCommand(pod, address),
          logs: !!process.env.E2E_LOGS,
        }).start(),
      );
    }
    await this.rolledOut();
    return this;
  }

  /** `kubectl rollout status` of every Deployment of the overlay. */
  async rolledOut(): Promise<void> {
    for (const name of [...COMPONENTS, 'gateway']) {
      await this.harness.kubectl(['-n', NS, 'rollout', 'status', `deployment/${name}`, '--timeout=90s']);
    }
  }

  /** Sets a Subgraph's `spec.url` to the URL its Service's DNS name would have, resolved to the stand-in. */
  async pointAtStandIn(subgraph: string): Promise<void> {
    const spec = JSON.parse(
      await this.harness.kubectl(['-n', NS, 'get', 'subgraph', subgraph, '-o', 'jsonpath={.spec.service}']),
    ) as { name: string; port: number; path: string };
    const url = this.resolve(`http://${spec.name}.${NS}.svc.cluster.local:${spec.port}${spec.path}`);
    await this.harness.kubectl([
      '-n',
      NS,
      'patch',
      'subgraph',
      subgraph,
      '--type=merge',
      '-p',
      JSON.stringify({ spec: { url } }),
    ]);
  }

  /** What a Service's DNS name resolves to here: its loopback stand-in. */
  resolve(text: string): string {
    return text.replace(SERVICE_DNS, (whole, service: string) => {
      const proxy = this.services.get(service);
      return proxy ? `127.0.0.1:${proxy.port()}` : whole;
    });
  }

  /**
   * The process of a pod's container: the image's entry point (the demo subgraphs' CLI)
   * with the container's args and env, listening on the pod's IP. None for a pod of
   * another image (PostgreSQL): KWOK's pod stages alone make it Running and Ready.
   */
  containerCommand(pod: V1Pod, address: PodAddress): PodCommand | undefined {
    const container = pod.spec!.containers[0]!;
    if (container.image !== DEMO_IMAGE) return undefined;
    const env: Record<string, string> = {};
    for (const { name, value } of container.env ?? []) env[name] = this.resolve(value ?? '');
    // No PostgreSQL runs here (its pod has no process): each pod keeps its data in
    // memory. The real server is tested by `npm run test:postgres`.
    if (env.DATABASE_URL !== undefined) env.DATABASE_URL = 'memory:';
    env.HOST = address.host;
    env.SHUTDOWN_GRACE_MS = '2000';
    env.LOG_LEVEL = process.env.E2E_LOGS ? 'info' : 'warn';
    return {
      command: process.execPath,
      args: ['--import', 'tsx', ENTRY_POINTS.subgraphs, ...(container.args ?? [])],
      env,
    };
  }

  /** A token of the gateway's ServiceAccount (the one the manifests create), as `kubectl create token` issues it. */
  async gatewayToken(): Promise<string> {
    return (await this.harness.kubectl(['-n', NS, 'create', 'token', 'gateway', '--duration=2h'])).trim();
  }

  /**
   * The gateway's config from the ConfigMap the manifests define, read from the cluster,
   * with what needs a container changed: it listens on a free loopback port, and any URL
   * names the Services' loopback stand-ins instead of cluster DNS (the subgraphs are
   * Subgraph resources, pointed at them in deploy()). `edit` may change the parsed YAML
   * before it is validated.
   */
  async gatewayConfig(edit: (raw: Record<string, any>) => void = () => {}): Promise<GatewayConfig> {
    const config = parseYaml(await this.gatewayConfigYaml()) as Record<string, any>;
    // The admin listener too: several gateways run on this host.
    config.server = {
      ...config.server,
      host: '127.0.0.1',
      port: 0,
      ...(config.server?.adminPort !== undefined && { adminPort: 0 }),
    };
    edit(config);
    return validateConfig(config, 'ConfigMap shop/gateway-config (e2e)');
  }

  /** The ConfigMap's config.yaml with the Services' DNS names resolved to their stand-ins. */
  async gatewayConfigYaml(): Promise<string> {
    const yaml = await this.harness.kubectl([
      '-n',
      NS,
      'get',
      'configmap',
      'gateway-config',
      '-o',
      'jsonpath={.data.config\\.yaml}',
    ]);
    return this.resolve(yaml);
  }

  /** A kubeconfig file that logs in with `token`, for a gateway run as a process. */
  tokenKubeconfig(token: string, port = this.harness.ready!.port): string {
    const kc = this.harness.tokenConfig(token, NS, port);
    const file = join(mkdtempSync(join(tmpdir(), 'gateway-kubeconfig-')), 'kubeconfig');
    writeFileSync(file, kc.exportConfig());
    return file;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await Promise.all(this.pods.map((p) => p.stop()));
    await Promise.all([...this.services.values()].map((s) => s.stop()));
  }
}
