import { once } from 'node:events';
import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';

/** Where a new connection goes: a loopback port, or an address chosen per connection (none: refused). */
export type ProxyTarget = number | (() => { host: string; port: number } | undefined);

/**
 * A TCP pass-through on loopback that a test can cut: a network partition between one
 * client and the API server, while the test itself still reaches the server directly.
 * With a target chosen per connection it is a Service's virtual IP (see serviceProxy.ts).
 */
export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private readonly server = createServer((client) => this.accept(client));
  private cutOff = false;

  constructor(private readonly target: ProxyTarget) {}

  async start(): Promise<number> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return (this.server.address() as AddressInfo).port;
  }

  /** Resets every connection and refuses new ones until `restore()`. */
  cut(): void {
    this.cutOff = true;
    for (const socket of this.sockets) socket.resetAndDestroy();
  }

  restore(): void {
    this.cutOff = false;
  }

  async stop(): Promise<void> {
    this.cut();
    this.server.close();
    await once(this.server, 'close');
  }

  private accept(client: Socket): void {
    const target = typeof this.target === 'number' ? { host: '127.0.0.1', port: this.target } : this.target();
    if (this.cutOff || !target) {
      client.resetAndDestroy();
      return;
    }
    const upstream = createConnection(target.port, target.host);
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.sockets.add(a);
      a.on('close', () => this.sockets.delete(a));
      a.on('error', () => b.destroy());
      a.pipe(b);
    }
  }
}
