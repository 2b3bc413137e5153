import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { EventEmitter, once } from 'node:events';
import { KubeConfig, type V1Deployment } from '@kubernetes/client-node';

/**
 * A Kubernetes API double that speaks the real list/watch protocol for Deployments in
 * one namespace (JSON list with resourceVersion, chunked watch events). It exists only
 * for faults a real API server cannot be made to produce on demand: a watch that goes
 * silent, a stream cut mid-watch, 5xx answers. Everything else is tested against the
 * real kube-apiserver in test/e2e.
 */
export class ApiDouble extends EventEmitter {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly watches = new Set<ServerResponse>();
  private readonly deployments = new Map<string, V1Deployment>();
  private revision = 1;
  /** Status codes to answer the next requests with, in order. */
  readonly failures: number[] = [];
  /** When true, watches are accepted and then left silent. */
  silent = false;
  watchRequests = 0;

  constructor(readonly namespace = 'shop') {
    super();
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async start(): Promise<this> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  kubeConfig(): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'double', server: this.url, skipTLSVerify: true }],
      users: [{ name: 'test' }],
      contexts: [{ name: 'double', cluster: 'double', user: 'test', namespace: this.namespace }],
      currentContext: 'double',
    });
    return kc;
  }

  /** Open TCP connections, to show that reconnects do not leak sockets. */
  openConnections(): number {
    return this.sockets.size;
  }

  /** Creates or updates a Deployment and sends the event to open watches. */
  apply(name: string, replicas: number, availableReplicas?: number): void {
    const type = this.deployments.has(name) ? 'MODIFIED' : 'ADDED';
    const deployment: V1Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: this.namespace, resourceVersion: String(++this.revision) },
      spec: { replicas, selector: {}, template: {} },
      status: availableReplicas === undefined ? {} : { availableReplicas },
    };
    this.deployments.set(name, deployment);
    if (!this.silent) this.broadcast({ type, object: deployment });
  }

  /** Cuts every open watch stream at the socket, as a network failure would. */
  dropWatches(): void {
    for (const res of this.watches) res.socket?.destroy();
    this.watches.clear();
  }

  async stop(): Promise<void> {
    this.dropWatches();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private broadcast(event: unknown): void {
    for (const res of this.watches) res.write(`${JSON.stringify(event)}\n`);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    if (url.pathname !== `/apis/apps/v1/namespaces/${this.namespace}/deployments`) {
      return this.status(res, 404, `no route ${url.pathname}`);
    }
    const failure = this.failures.shift();
    if (failure) return this.status(res, failure, `injected ${failure}`);
    if (url.searchParams.get('watch') !== 'true') {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          apiVersion: 'apps/v1',
          kind: 'DeploymentList',
          metadata: { resourceVersion: String(this.revision) },
          items: [...this.deployments.values()],
        }),
      );
      return;
    }
    this.watchRequests++;
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    this.watches.add(res);
    res.on('close', () => this.watches.delete(res));
    // Replay what changed since the client's resourceVersion, as the real server does.
    const since = Number(url.searchParams.get('resourceVersion') ?? 0);
    for (const object of this.deployments.values()) {
      if (Number(object.metadata?.resourceVersion) > since)
        res.write(`${JSON.stringify({ type: 'MODIFIED', object })}\n`);
    }
    this.emit('watch', this.watchRequests);
  }

  private status(res: ServerResponse, code: number, message: string): void {
    res.statusCode = code;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, code }));
  }
}
