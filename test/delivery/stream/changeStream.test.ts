import { jest } from '@jest/globals';
import type { Affordances } from '../../../src/affordances/types.js';
import { AFFORDANCES_QUERY } from '../../../src/client/affordancesJson.js';
import { startGateway, type RunningGateway } from '../../../src/gateway/startGateway.js';
import { startHttpServer, type RunningHttpServer } from '../../../src/platform/http/httpServer.js';
import { silentLogger } from '../../../src/platform/logger.js';
import { ErrorCode } from '../../../src/platform/errorCodes.js';
import { ChangeStream, RECONNECT_MS } from '../../../src/delivery/stream/changeStream.js';
import { affordancesWhere, composed } from '../../helpers/gateway.js';
import { gql } from '../../helpers/graphql.js';
import { Backends } from '../../helpers/servers.js';
import { within } from '../../helpers/within.js';
import { validateConfig } from '../../../src/config/load.js';
import { CountingFeed } from './countingFeed.js';
import { SseConnection } from './sseConnection.js';

jest.setTimeout(20_000);

const HEARTBEAT_MS = 200;
const customersComposed = (expected: boolean) => (a: Affordances) => composed('customers', expected)(a);

describe('GET /affordances/stream on the gateway', () => {
  const backends = new Backends();
  let gateway: RunningGateway;
  let streamUrl: string;
  const open: SseConnection[] = [];
  const connect = async (headers?: Record<string, string>) => {
    const connection = await SseConnection.open(streamUrl, headers);
    open.push(connection);
    return connection;
  };

  beforeAll(async () => {
    await backends.startAll();
    const config = backends.gatewayConfig();
    config.server.streams = { max: 100, perClient: 100, heartbeatMs: HEARTBEAT_MS };
    gateway = await startGateway({ config, logger: silentLogger });
    streamUrl = `${gateway.url}/affordances/stream`;
  });
  afterEach(async () => {
    open.splice(0).forEach((c) => c.close());
    // A test that failed half way must not leave the next one without customers.
    if (!backends.customers) await backends.startCustomers();
    await affordancesWhere(gateway, composed('customers'));
  });
  afterAll(async () => {
    await gateway?.close();
    await backends.stopAll();
  });

  test('sends the current affordances at once: the same JSON as the affordances query', async () => {
    const stream = await connect();
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers['cache-control']).toContain('no-cache');
    expect(await stream.next()).toEqual({ type: 'retry', ms: RECONNECT_MS });
    const first = await stream.next();
    expect(first).toMatchObject({ type: 'event', event: 'affordances', id: expect.stringMatching(/^[\w-]{22}$/) });
    const query = await gql<{ affordances: Affordances }>(gateway.url, AFFORDANCES_QUERY);
    expect(first.type === 'event' && JSON.parse(first.data)).toEqual(query.data!.affordances);
  });

  test('sends an event with a new id on every change, and heartbeats in between', async () => {
    const stream = await connect();
    const initial = await stream.nextEvent<Affordances>();
    expect(composed('customers')(initial.data)).toBe(true);
    await stream.nextWhere((item) => item.type === 'comment' && item.text === 'heartbeat');

    await backends.stopCustomers();
    const down = await stream.nextEvent<Affordances>(customersComposed(false));
    expect(down.id).not.toBe(initial.id);
    expect(down.data.unavailable.map((op) => op.name).sort()).toEqual(['createCustomer', 'customer', 'customers']);
    expect(down.data.subgraphs.find((s) => s.name === 'customers')!.reason).toMatch(/^http customers: /);

    await backends.startCustomers();
    const up = await stream.nextEvent<Affordances>(customersComposed(true));
    expect(up.data.unavailable).toEqual([]);
  });

  test('on reconnect sends nothing while Last-Event-ID is current, and the state at once when it is not', async () => {
    await affordancesWhere(gateway, customersComposed(true));
    const { id } = await (await connect()).nextEvent();

    const current = await connect({ 'last-event-id': id! });
    expect(await current.next()).toEqual({ type: 'retry', ms: RECONNECT_MS });
    // A heartbeat comes before any event: the client already has this state.
    expect(await current.next()).toEqual({ type: 'comment', text: 'heartbeat' });

    const stale = await connect({ 'last-event-id': 'an-id-from-before' });
    await stale.next(); // retry
    expect(await stale.next()).toMatchObject({ type: 'event', id });

    await backends.stopCustomers();
    const change = await current.nextEvent<Affordances>(customersComposed(false));
    expect(change.id).not.toBe(id);
    await backends.startCustomers();
    await affordancesWhere(gateway, customersComposed(true));
  });

  test('answers other methods with 405', async () => {
    const response = await fetch(streamUrl, { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe(
      'BAD_REQUEST',
    );
  });
});

describe('ChangeStream limits and clean-up (over a real gateway state)', () => {
  const backends = new Backends();
  let gateway: RunningGateway;
  let feed: CountingFeed;
  let changes: ChangeStream;
  let server: RunningHttpServer;
  let streamUrl: string;

  beforeAll(async () => {
    await backends.startAll();
    gateway = await startGateway({ config: backends.gatewayConfig(), logger: silentLogger });
    feed = new CountingFeed(gateway.affordances);
    changes = new ChangeStream(feed, { max: 2, perClient: 100, heartbeatMs: 60_000 }, silentLogger);
    server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      logger: silentLogger,
      routes: { '/affordances/stream': changes.handle },
    });
    streamUrl = `${server.url}/affordances/stream`;
  });
  afterAll(async () => {
    await changes?.close();
    await server?.close();
    await gateway?.close();
    await backends.stopAll();
  });

  test('refuses streams beyond server.streams.max with 503, Retry-After and a GraphQL-style error', async () => {
    const first = await SseConnection.open(streamUrl);
    const second = await SseConnection.open(streamUrl);
    try {
      await Promise.all([first.nextEvent(), second.nextEvent()]);
      const refused = await SseConnection.open(streamUrl);
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBe('5');
      expect(refused.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(await refused.text())).toEqual({
        errors: [
          {
            message: expect.stringMatching(/too many open change streams \(limit server\.streams\.max = 2\)/),
            extensions: { code: ErrorCode.STREAM_UNAVAILABLE },
          },
        ],
      });

      // A slot freed by a client that left is usable again.
      first.close();
      await feed.until((active) => active === 1);
      const again = await SseConnection.open(streamUrl);
      expect(again.status).toBe(200);
      await again.nextEvent();
      again.close();
    } finally {
      first.close();
      second.close();
      await feed.until((active) => active === 0);
    }
  });

  test('frees the listener of every client that disconnects', async () => {
    expect(feed.active).toBe(0);
    const clients = await Promise.all([SseConnection.open(streamUrl), SseConnection.open(streamUrl)]);
    await Promise.all(clients.map((c) => c.nextEvent()));
    expect(feed.active).toBe(2);
    expect(changes.size).toBe(2);
    clients.forEach((c) => c.close());
    await feed.until((active) => active === 0);
    expect(changes.size).toBe(0);

    // A change after they left reaches no one and breaks nothing; a new client gets it.
    await backends.stopCustomers();
    await affordancesWhere(gateway, customersComposed(false));
    const late = await SseConnection.open(streamUrl);
    expect((await late.nextEvent<Affordances>()).data.subgraphs.find((s) => s.name === 'customers')!.composed).toBe(
      false,
    );
    late.close();
    await feed.until((active) => active === 0);
    await backends.startCustomers();
  });
});

describe('gateway close() with open streams', () => {
  test('ends the streams and closes without waiting for the clients', async () => {
    const backends = await new Backends().startAll();
    const gateway = await startGateway({ config: backends.gatewayConfig(), logger: silentLogger });
    try {
      const clients = await Promise.all([1, 2, 3].map(() => SseConnection.open(`${gateway.url}/affordances/stream`)));
      await Promise.all(clients.map((c) => c.nextEvent()));
      await within(3000, 'gateway.close() with 3 open streams', gateway.close());
      await within(1000, 'the clients seeing their streams end', Promise.all(clients.map((c) => c.ended)));
      const last = await clients[0]!.nextWhere((item) => item.type === 'comment').catch(() => undefined);
      expect(last).toEqual({ type: 'comment', text: 'gateway shutting down' });
    } finally {
      await backends.stopAll();
    }
  });
});

describe('one client address on the gateway', () => {
  let gateway: RunningGateway;
  const open: SseConnection[] = [];
  const connect = async (localAddress: string) => {
    const connection = await SseConnection.open(`${gateway.url}/affordances/stream`, {}, localAddress);
    open.push(connection);
    return connection;
  };

  beforeAll(async () => {
    const config = validateConfig({
      server: { port: 0, streams: { max: 10, perClient: 2 } },
      limits: { rateLimit: { perSecond: 0.01, burst: 6 } },
    });
    gateway = await startGateway({ config, logger: silentLogger });
  });
  afterAll(async () => {
    open.forEach((c) => c.close());
    await gateway?.close();
  });

  test('holds at most server.streams.perClient streams, and its openings count against its rate limit', async () => {
    const [first, second] = [await connect('127.0.0.1'), await connect('127.0.0.1')];
    expect([first.status, second.status]).toEqual([200, 200]);
    const refused = await connect('127.0.0.1');
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    const body = JSON.parse(await refused.text());
    expect(body.errors[0].extensions.code).toBe(ErrorCode.STREAM_UNAVAILABLE);
    expect(body.errors[0].message).toMatch(/from your address \(limit server\.streams\.perClient = 2\)/);

    // Other clients still get theirs: one address cannot hold every slot.
    expect((await connect('127.0.0.2')).status).toBe(200);

    // A slot the client frees is its own again, until its rate limit says no more.
    first.close();
    await first.ended;
    const again = await within(
      2000,
      'a stream once a slot is free',
      reopen(() => connect('127.0.0.1')),
    );
    expect(again.status).toBe(200);
    // Both slots are taken again: each further try is refused, and counts, until the rate limit answers.
    let limited = await connect('127.0.0.1');
    for (let tries = 0; limited.status === 503 && tries < 5; tries++) limited = await connect('127.0.0.1');
    expect(limited.status).toBe(429);
    expect(JSON.parse(await limited.text()).errors[0].extensions.code).toBe(ErrorCode.RATE_LIMITED);
  });
});

/** The server may see the close a moment after the client: open until it is not refused for the slot. */
async function reopen(connect: () => Promise<SseConnection>): Promise<SseConnection> {
  for (;;) {
    const connection = await connect();
    if (connection.status !== 503) return connection;
    await connection.text();
  }
}
