import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import type { ResilientInformer } from '../../src/sources/kubernetes/resilientInformer.js';
import { follow } from './cluster.js';

/** What to run for one pod: a command bound to the pod's address. */
export interface PodCommand {
  readonly command: string;
  readonly args: readonly string[];
  /** Added to this process's environment. */
  readonly env?: Readonly<Record<string, string>>;
}

/** A pod's address: its IP (a loopback address, see test/kube-harness) and its first container port. */
export interface PodAddress {
  readonly host: string;
  readonly port: number;
}

export interface PodProcessesOptions {
  readonly kubeConfig: KubeConfig;
  readonly namespace: string;
  /** The pods to run, e.g. `app.kubernetes.io/name=customers`. */
  readonly labelSelector: string;
  /** The process for a pod, chosen from its spec (labels, env, args); undefined: none for this pod. */
  readonly commandFor: (pod: V1Pod, address: PodAddress) => PodCommand | undefined;
  /** Prefix each output line with the pod's name and write it to stderr. */
  readonly logs?: boolean;
}

interface Running {
  readonly pod: string;
  readonly address: PodAddress;
  readonly child: ChildProcess;
  readonly exited: Promise<unknown>;
}

/**
 * The containers of the simulated pods: for every pod matching the selector that is
 * Running, has an IP, is not being deleted and has no container waiting (KWOK's
 * crash-loop stage), a real process bound to the pod's IP and container port; the
 * process is stopped (SIGTERM, then SIGKILL after 2 s) when the pod stops qualifying
 * or goes away. Follows the pods with a watch, level-triggered, through API server
 * restarts. `await using` stops everything.
 *
 *     const processes = await new PodProcesses({ kubeConfig, namespace: 'shop',
 *       labelSelector: 'app.kubernetes.io/name=customers',
 *       commandFor: (pod, { host, port }) => ({ command: process.execPath,
 *         args: ['--import', 'tsx', 'subgraphs/main.ts', 'customers', '--host', host, '--port', String(port)] }),
 *     }).start();
 */
export class PodProcesses implements AsyncDisposable {
  private readonly running = new Map<string, Running>();
  private readonly informer: ResilientInformer<V1Pod>;
  private readonly listeners = new Set<() => void>();
  private stopped = false;

  constructor(private readonly options: PodProcessesOptions) {
    const core = options.kubeConfig.makeApiClient(CoreV1Api);
    this.informer = follow<V1Pod>({
      kubeConfig: options.kubeConfig,
      path: `/api/v1/namespaces/${options.namespace}/pods`,
      list: () => core.listNamespacedPod({ namespace: options.namespace, labelSelector: options.labelSelector }),
      labelSelector: options.labelSelector,
      onChange: () => this.reconcile(),
    });
  }

  async start(): Promise<this> {
    await this.informer.start();
    this.reconcile();
    return this;
  }

  /** The pods that have a process now, by name, with their addresses. */
  addresses(): Map<string, PodAddress> {
    return new Map([...this.running].map(([name, r]) => [name, r.address]));
  }

  /** Resolves once `predicate` holds for the pods that have a process (checked on every change). */
  until(predicate: (running: Map<string, PodAddress>) => boolean, timeoutMs = 30_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`pod processes: condition not met in ${timeoutMs} ms (running: ${[...this.running.keys()]})`));
      }, timeoutMs);
      const check = () => {
        if (!predicate(this.addresses())) return;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve();
      };
      this.listeners.add(check);
      check();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.informer.stop();
    await Promise.all([...this.running.keys()].map((name) => this.kill(name)));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  private reconcile(): void {
    if (this.stopped) return;
    const wanted = new Map<string, V1Pod>();
    for (const pod of this.informer.objects()) {
      if (runsContainers(pod)) wanted.set(pod.metadata!.name!, pod);
    }
    for (const name of this.running.keys()) {
      const pod = wanted.get(name);
      // A pod recreated under the same name gets a new IP: a new process.
      if (!pod || pod.status?.podIP !== this.running.get(name)!.address.host) void this.kill(name);
    }
    for (const [name, pod] of wanted) if (!this.running.has(name)) this.spawn(name, pod);
    for (const listener of [...this.listeners]) listener();
  }

  private spawn(name: string, pod: V1Pod): void {
    const port = pod.spec?.containers[0]?.ports?.[0]?.containerPort;
    const address = { host: pod.status!.podIP!, port: port ?? 0 };
    const command = this.options.commandFor(pod, address);
    if (!command) return;
    const child = spawn(command.command, command.args, {
      env: { ...process.env, ...command.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [child.stdout!, child.stderr!]) {
      const lines = createInterface({ input: stream });
      if (this.options.logs) lines.on('line', (line) => process.stderr.write(`[pod ${name}] ${line}\n`));
    }
    const exited = once(child, 'exit').catch(() => undefined);
    this.running.set(name, { pod: name, address, child, exited });
    void exited.then(() => {
      // A process that dies by itself is a crashed container: gone until the pod changes.
      if (this.running.get(name)?.child === child) this.running.delete(name);
    });
  }

  private async kill(name: string): Promise<void> {
    const running = this.running.get(name);
    if (!running) return;
    this.running.delete(name);
    const { child, exited } = running;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const force = setTimeout(() => child.kill('SIGKILL'), 2000);
    child.kill('SIGTERM');
    await exited;
    clearTimeout(force);
  }
}

/** Running, with an IP, not being deleted, and no container waiting (crash-looping). */
function runsContainers(pod: V1Pod): boolean {
  return (
    pod.status?.phase === 'Running' &&
    !!pod.status.podIP &&
    !pod.metadata?.deletionTimestamp &&
    !(pod.status.containerStatuses ?? []).some((c) => c.state?.waiting)
  );
}
