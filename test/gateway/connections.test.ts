import { jest } from '@jest/globals';
import { request } from 'node:http';
import { validateConfig } from '../../src/config/load.js';
import type { GatewayConfigInput } from '../../src/config/schema.js';
import { startGateway, type RunningGateway } from '../../src/gateway/startGateway.js';
import { silentLogger } from '../../src/platform/logger.js';
import { CapturedLogs } from '../helpers/capturedLogs.js';
import { RawSocket } from '../helpers/rawSocket.js';
import { within } from '../helpers/within.js';

jest.setTimeout(20_000);

/** A gateway with no subgraphs (only `affordances`): enough to hold connections, quick to start. */
const bareGateway = (server: GatewayConfigInput['server']) =>
  startGateway({
    config: validateConfig({ server: { port: 0, ...server }, limits: { rateLimit: false } }),
    logger: silentLogger,
  });

/** GET `path` over a fresh connection from `localAddress`; resolves with the status, rejects if the connection fails. */
function get(url: string, path: string, localAddress = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { localAddress, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

const portOf = (url: string) => Number(new URL(url).port);

describe('connection caps', () => {
  let gateway: RunningGateway;
  const sockets: RawSocket[] = [];
  const open = async (localAddress?: string) => {
    const socket = await RawSocket.open(portOf(gateway.url), localAddress);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    gateway = await bareGateway({ adminPort: 0, console: false, connections: { max: 30, perClient: 20 } });
  });
  afterEach(() => sockets.splice(0).forEach((s) => s.close()));
  afterAll(async () => {
    await gateway?.close();
  });

  test('with server.adminPort, /metrics is served there and not on the public port; the console can be off', async () => {
    expect(await get(gateway.adminUrl!, '/metrics')).toBe(200);
    expect(await get(gateway.url, '/metrics')).toBe(404);
    expect(await get(gateway.url, '/console')).toBe(404);
    expect(await get(gateway.url, '/readyz')).toBe(200);
  });

  test('one address holds at most server.connections.perClient; other addresses and the admin port are served', async () => {
    const held = [];
    for (let i = 0; i < 20; i++) held.push(await open());
    const over = await open();
    await within(2000, 'the connection over the cap being closed', over.closed);
    await expect(get(gateway.url, '/healthz')).rejects.toThrow();
    expect(held.every((s) => s.open)).toBe(true);

    // Another client (another loopback address) is not held back by the first one.
    expect(await get(gateway.url, '/healthz', '127.0.0.2')).toBe(200);
    expect(await get(gateway.adminUrl!, '/healthz')).toBe(200);
    expect(await get(gateway.adminUrl!, '/readyz')).toBe(200);

    // A connection the client closes frees its slot.
    held[0]!.close();
    await held[0]!.closed;
    await within(2000, 'a request once a slot is free', pollUntilServed(gateway.url));
  });

  test('all clients together hold at most server.connections.max; probes on the admin port still answer', async () => {
    for (let i = 0; i < 15; i++) await open('127.0.0.3');
    for (let i = 0; i < 15; i++) await open('127.0.0.4');
    const over = await open('127.0.0.5');
    await within(2000, 'the connection over the total cap being closed', over.closed);
    expect(await get(gateway.adminUrl!, '/healthz')).toBe(200);
    const metrics = await (await fetch(`${gateway.adminUrl}/metrics`)).text();
    expect(metrics).toMatch(/gateway_http_connections_refused_total\{reason="max",component="gateway"\} [1-9]/);
    expect(metrics).toMatch(/gateway_http_connections_refused_total\{reason="perClient",component="gateway"\} [1-9]/);
  });
});

/** A request that may race the server noticing a closed socket: retried on the next tick until served. */
async function pollUntilServed(url: string): Promise<void> {
  for (;;) {
    try {
      if ((await get(url, '/healthz')) === 200) return;
    } catch {
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

describe('connection timeouts', () => {
  let gateway: RunningGateway;
  let port: number;
  const sockets: RawSocket[] = [];
  const open = async () => {
    const socket = await RawSocket.open(port);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    gateway = await bareGateway({
      connections: { headersTimeoutMs: 300, requestTimeoutMs: 600, keepAliveTimeoutMs: 300 },
      streams: { heartbeatMs: 100 },
    });
    port = portOf(gateway.url);
  });
  afterEach(() => sockets.splice(0).forEach((s) => s.close()));
  afterAll(async () => {
    await gateway?.close();
  });

  test('a connection that never sends a request is closed after the header timeout', async () => {
    const idle = await open();
    await within(2000, 'closing an idle new connection', idle.closed);
  });

  test('slowloris: headers trickling in slower than server.connections.headersTimeoutMs get 408', async () => {
    const slow = await open();
    slow.write('GET /healthz HTTP/1.1\r\nhost: localhost\r\n');
    const trickle = setInterval(() => slow.write('x-slow: 1\r\n'), 50);
    try {
      expect(await within(2000, 'cutting off slow headers', slow.closed)).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      clearInterval(trickle);
    }
  });

  test('a body slower than server.connections.requestTimeoutMs gets 408', async () => {
    const slow = await open();
    slow.write(
      'POST /graphql HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{',
    );
    const trickle = setInterval(() => slow.write(' '), 50);
    try {
      expect(await within(3000, 'cutting off a slow body', slow.closed)).toMatch(/HTTP\/1\.1 408/);
    } finally {
      clearInterval(trickle);
    }
  });

  test('an idle keep-alive connection is closed after server.connections.keepAliveTimeoutMs', async () => {
    const client = await open();
    client.write('GET /healthz HTTP/1.1\r\nhost: localhost\r\n\r\n');
    await client.until('ok');
    expect(client.open).toBe(true);
    await within(2000, 'closing an idle keep-alive connection', client.closed);
  });

  test('a change stream outlives the request timeout: it is the response that lasts, not the request', async () => {
    const stream = await open();
    stream.write('GET /affordances/stream HTTP/1.1\r\nhost: localhost\r\n\r\n');
    // Heartbeats every 100 ms: the eighth comes well after the 600 ms request timeout.
    await within(5000, 'eight heartbeats', waitForCount(stream, ': heartbeat', 8));
    expect(stream.open).toBe(true);
  });
});

async function waitForCount(socket: RawSocket, text: string, count: number): Promise<void> {
  for (;;) {
    const received = await socket.until(text);
    if (received.split(text).length - 1 >= count) return;
    await new Promise((resolve) => socket.socket.once('data', resolve));
  }
}

describe('clients that go away mid-request', () => {
  test('are logged at debug level without a stack trace, not as errors of the server', async () => {
    const logs = new CapturedLogs();
    const gateway = await startGateway({
      config: validateConfig({ server: { port: 0 }, limits: { rateLimit: false } }),
      logger: logs.loggerFor('gateway'),
    });
    try {
      const resets = 20;
      for (let i = 0; i < resets; i++) {
        const client = await RawSocket.open(portOf(gateway.url));
        client.write(
          'POST /graphql HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"q',
        );
        client.socket.resetAndDestroy();
      }
      const aboutRequests = (line: Record<string, unknown>) => line.path === '/graphql';
      await within(
        5000,
        'a log line for each reset',
        logs.until('gateway', () => logs.of('gateway').filter(aboutRequests).length >= resets),
      );
      const lines = logs.of('gateway').filter(aboutRequests);
      expect(lines.map((line) => [line.level, line.msg, line.err])).toEqual(
        Array(resets).fill([20, 'client closed the connection mid-request', undefined]),
      );
      expect(
        (await fetch(`${gateway.url}/graphql?query=%7B__typename%7D`, { headers: { 'apollo-require-preflight': '1' } }))
          .status,
      ).toBe(200);
    } finally {
      await gateway.close();
    }
  });
});
