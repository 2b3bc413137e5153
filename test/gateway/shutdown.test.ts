import { buildSubgraphSchema } from '@apollo/subgraph';
import { jest } from '@jest/globals';
import { parse } from 'graphql';
import { StaticSource } from '../../src/sources/staticSource.js';
import { validateConfig } from '../../src/config/load.js';
import { startGateway, type RunningGateway } from '../../src/gateway/startGateway.js';
import { silentLogger } from '../../src/platform/logger.js';
import { serveSubgraph } from '../../subgraphs/shared/serveSubgraph.js';

jest.setTimeout(20_000);

/** A subgraph whose one field answers only when the test says so. */
async function slowSubgraph() {
  let entered!: () => void;
  const inside = new Promise<void>((resolve) => (entered = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const server = await serveSubgraph(
    buildSubgraphSchema({
      typeDefs: parse(
        'extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: []) type Query { slow: String }',
      ),
      resolvers: {
        Query: {
          slow: async () => {
            entered();
            await released;
            return 'done';
          },
        },
      },
    }),
    { port: 0, logger: silentLogger },
  );
  return { server, inside, release };
}

async function gatewayFor(url: string, shutdownGraceMs: number): Promise<RunningGateway> {
  const config = validateConfig({
    server: { port: 0, shutdownGraceMs },
    limits: { rateLimit: false },
    subgraphs: { slow: { url: `${url}/graphql` } },
  });
  return startGateway({ config, logger: silentLogger, sources: [new StaticSource({ slow: true })] });
}

const query = (url: string) =>
  fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ slow }' }),
  });

describe('graceful shutdown', () => {
  test('requests in flight finish; new connections are refused; close resolves after them', async () => {
    const slow = await slowSubgraph();
    const gateway = await gatewayFor(slow.server.url, 10_000);
    try {
      expect((await fetch(`${gateway.url}/readyz`)).status).toBe(200);
      const inFlight = query(gateway.url);
      await slow.inside;
      let closed = false;
      const closing = gateway.close().then(() => (closed = true));
      await expect(fetch(`${gateway.url}/readyz`)).rejects.toThrow();
      expect(closed).toBe(false);
      slow.release();
      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(response.headers.get('connection')).toBe('close');
      expect(await response.json()).toEqual({ data: { slow: 'done' } });
      await closing;
    } finally {
      slow.release();
      await slow.server.close();
    }
  });

  test('a request that outlives the grace period is cut, and close still resolves in time', async () => {
    const slow = await slowSubgraph();
    const gateway = await gatewayFor(slow.server.url, 300);
    try {
      const inFlight = query(gateway.url).then(
        () => 'answered',
        () => 'cut',
      );
      await slow.inside;
      const started = performance.now();
      await gateway.close();
      expect(performance.now() - started).toBeLessThan(3000);
      expect(await inFlight).toBe('cut');
    } finally {
      slow.release();
      await slow.server.close();
    }
  });
});
