import { jest } from '@jest/globals';
import { validateConfig, loadConfig } from '../../src/config/load.js';
import { startGateway, type RunningGateway } from '../../src/gateway/startGateway.js';
import { CapturedLogs } from '../helpers/capturedLogs.js';
import { describeWithRedis, RedisServer } from '../helpers/redisServer.js';
import { Backends } from '../helpers/servers.js';
import { within } from '../helpers/within.js';

jest.setTimeout(30_000);

/** One request's status and how long it took. */
async function send(gateway: RunningGateway, client: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': client },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  await response.text();
  return { status: response.status, ms: performance.now() - started };
}

/** Statuses of requests sent one after another, each through the gateway named by `via`. */
async function statuses(client: string, via: RunningGateway[]): Promise<number[]> {
  const out: number[] = [];
  for (const gateway of via) out.push((await send(gateway, client)).status);
  return out;
}

describe('limits.rateLimit.redis in the config', () => {
  test('is off by default; a redis:// URL turns it on with its defaults; other schemes are refused', () => {
    expect(validateConfig({}).limits.rateLimit).toEqual({ perSecond: 50, burst: 100 });
    expect(
      validateConfig({ limits: { rateLimit: { redis: { url: 'redis://redis:6379' } } } }).limits.rateLimit,
    ).toEqual({
      perSecond: 50,
      burst: 100,
      redis: { url: 'redis://redis:6379', timeoutMs: 100, keyPrefix: 'affordance-gateway:rate-limit' },
    });
    expect(() => validateConfig({ limits: { rateLimit: { redis: { url: 'http://redis:6379' } } } })).toThrow(
      /limits\.rateLimit\.redis\.url: must be a redis:\/\/ or rediss:\/\/ URL/,
    );
  });

  test('the URL (with its password) can come from the environment, as a Secret sets it', () => {
    const config = loadConfig({ env: { AG__LIMITS__RATELIMIT__REDIS__URL: 'redis://:s3cret@redis:6379' } });
    expect(config.limits.rateLimit && config.limits.rateLimit.redis?.url).toBe('redis://:s3cret@redis:6379');
  });
});

describeWithRedis('a rate limit shared through a real redis-server', () => {
  const backends = new Backends();
  const redis = new RedisServer();
  const logs = new CapturedLogs();
  let a: RunningGateway;
  let b: RunningGateway;
  /** Resolves when `component` logs that the limit is shared (again), after `from` lines. */
  const shared = (component: string, from = logs.of(component).length) =>
    logs.until(
      component,
      (line) => logs.of(component).indexOf(line) >= from && /shared across replicas/.test(String(line.msg)),
    );

  beforeAll(async () => {
    await Promise.all([backends.startAll(), redis.start()]);
    const base = backends.gatewayConfig();
    // 4 requests per 40 s: no window ends while a test runs. Redis answers in well under
    // 500 ms even on a loaded machine, so only a stalled or dead Redis makes a replica decide alone.
    const config = validateConfig({
      ...base,
      limits: {
        rateLimit: { perSecond: 0.1, burst: 4, clientHeader: 'x-api-key', redis: { url: redis.url, timeoutMs: 500 } },
      },
    });
    const sharing = [shared('a', 0), shared('b', 0)];
    [a, b] = await Promise.all([
      startGateway({ config, logger: logs.loggerFor('a') }),
      startGateway({ config, logger: logs.loggerFor('b') }),
    ]);
    await within(5000, 'both gateways connecting to Redis', Promise.all(sharing));
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await backends.stopAll();
    await redis[Symbol.asyncDispose]();
  });

  test('two gateways together allow the limit, not twice it; other clients are unaffected', async () => {
    expect(await statuses('alice', [a, b, a, b, a, b])).toEqual([200, 200, 200, 200, 429, 429]);
    expect(await statuses('bob', [b])).toEqual([200]);
  });

  test('a stalled Redis: each request is decided by its replica after timeoutMs (500), none waits much longer', async () => {
    redis.pause();
    try {
      const answers = [];
      for (const gateway of [a, a, a, a, a, b]) answers.push(await send(gateway, 'stalled'));
      // Each replica on its own: a's four, then b's own first.
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 429, 200]);
      for (const { ms } of answers) expect(ms).toBeLessThan(1500);
      expect(answers[0]!.ms).toBeGreaterThanOrEqual(450);
    } finally {
      redis.resume();
    }
  });

  test('Redis killed mid-traffic: no request fails or hangs, each replica limits on its own, and the shared limit returns with Redis', async () => {
    expect(await statuses('carol', [a, b, a, b, a])).toEqual([200, 200, 200, 200, 429]);

    // Requests in flight while Redis dies.
    const inflight = Array.from({ length: 20 }, (_, i) => send(i % 2 ? a : b, `inflight-${i}`));
    await redis.kill();
    const answered = await within(3000, 'requests in flight when Redis died', Promise.all(inflight));
    expect(answered.map((r) => r.status)).toEqual(Array(20).fill(200));

    // At once, the insurance limiter: the same limit per replica, so up to twice it across two.
    const down = [];
    for (const gateway of [a, a, a, a, a, b, b, b, b, b]) down.push(await send(gateway, 'dave'));
    expect(down.map((r) => r.status)).toEqual([200, 200, 200, 200, 429, 200, 200, 200, 200, 429]);
    for (const { ms } of down) expect(ms).toBeLessThan(1000);

    // A fresh Redis on the same address: both reconnect and share again.
    const back = [shared('a'), shared('b')];
    await redis.start();
    await within(10_000, 'both gateways reconnecting to Redis', Promise.all(back));
    expect(await statuses('erin', [a, b, a, b, b, a])).toEqual([200, 200, 200, 200, 429, 429]);
  });
});
