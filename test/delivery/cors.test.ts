import { jest } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { validateConfig } from '../../src/config/load.js';
import { startGateway, type RunningGateway } from '../../src/gateway/startGateway.js';
import { silentLogger } from '../../src/platform/logger.js';
import { describeInChromium, launchChromium } from './chromium.js';

jest.setTimeout(30_000);

/** A page on its own loopback port: another origin than the gateway's. */
async function servePage(): Promise<{ server: Server; origin: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>another origin</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** What a page's script gets from the gateway: a query's data, or the browser's refusal. */
const CALL_GATEWAY = `async (gateway) => {
  const query = await fetch(gateway + '/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': 'from-the-page' },
    body: JSON.stringify({ query: '{ affordances { schemaVersion } }' }),
  }).then(
    async (response) => ({ status: response.status, requestId: response.headers.get('x-request-id'), body: await response.json() }),
    (error) => ({ refused: String(error) }),
  );
  const stream = await new Promise((resolve) => {
    const events = new EventSource(gateway + '/affordances/stream');
    events.addEventListener('affordances', (event) => {
      events.close();
      resolve({ schemaVersion: JSON.parse(event.data).schemaVersion });
    });
    events.onerror = () => {
      events.close();
      resolve({ refused: 'EventSource error' });
    };
  });
  return { query, stream };
}`;

describeInChromium('CORS', 'pages on other origins, in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  let gateway: RunningGateway;
  let allowed: { server: Server; origin: string };
  let other: { server: Server; origin: string };

  beforeAll(async () => {
    browser = await launchChromium();
    [allowed, other] = await Promise.all([servePage(), servePage()]);
    gateway = await startGateway({
      config: validateConfig({
        server: { port: 0, cors: { origins: [allowed.origin] } },
        limits: { rateLimit: false },
      }),
      logger: silentLogger,
    });
    page = await browser.newPage();
    page.setDefaultTimeout(10_000);
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await Promise.all([allowed, other].map((p) => p && new Promise((resolve) => p.server.close(resolve))));
  });

  const callFrom = async (origin: string) => {
    await page.goto(`${origin}/`);
    return page.evaluate(`(${CALL_GATEWAY})(${JSON.stringify(gateway.url)})`) as Promise<{
      query: {
        status?: number;
        requestId?: string;
        body?: { data?: { affordances: { schemaVersion: string } } };
        refused?: string;
      };
      stream: { schemaVersion?: string; refused?: string };
    }>;
  };

  test('a page on an allowed origin queries the gateway and follows the change stream', async () => {
    const { query, stream } = await callFrom(allowed.origin);
    expect(query.status).toBe(200);
    const version = query.body?.data?.affordances.schemaVersion;
    expect(version).toEqual(expect.any(String));
    // The page may read the headers the gateway exposes.
    expect(query.requestId).toBe('from-the-page');
    expect(stream).toEqual({ schemaVersion: version });
  });

  test('a page on any other origin is refused by the browser, and the gateway spends nothing on it', async () => {
    const { query, stream } = await callFrom(other.origin);
    expect(query.refused).toMatch(/Failed to fetch/);
    expect(stream.refused).toBeDefined();

    // What the browser was told: 403 with the reason, for the preflight and for the stream.
    const preflight = await fetch(`${gateway.url}/graphql`, {
      method: 'OPTIONS',
      headers: { origin: other.origin, 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const streamAnswer = await fetch(`${gateway.url}/affordances/stream`, { headers: { origin: other.origin } });
    expect(streamAnswer.status).toBe(403);
    const { errors } = (await streamAnswer.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(errors[0]!.extensions.code).toBe('ORIGIN_NOT_ALLOWED');
    expect(errors[0]!.message).toMatch(/add the origin to server\.cors\.origins/);
  });
});
