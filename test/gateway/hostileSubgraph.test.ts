import { jest } from '@jest/globals';
import { validateConfig } from '../../src/config/load.js';
import type { GatewayConfigInput } from '../../src/config/schema.js';
import { startGateway, type RunningGateway } from '../../src/gateway/startGateway.js';
import { silentLogger } from '../../src/platform/logger.js';
import { StaticSource } from '../../src/sources/staticSource.js';
import { affordancesWhere, composed } from '../helpers/gateway.js';
import { gql } from '../helpers/graphql.js';
import { HOSTILE_SDL, HostileSubgraph, json } from '../helpers/hostileSubgraph.js';

jest.setTimeout(30_000);

const MiB = 1024 * 1024;
const QUERY = '{ hostile }';

/** What a subgraph with internals to hide answers with a 500: an address, a file path, a stack trace. */
const LEAKY_500 = json(
  {
    data: { hostile: null },
    errors: [
      {
        message: 'connect ECONNREFUSED 10.0.0.7:5432 (pg pool at /srv/app/db.js)',
        path: ['hostile'],
        extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['Error: connect', '    at /srv/app/db.js:12:7'] },
      },
    ],
  },
  500,
);

/**
 * The third failed fetch opens the circuit, and the schema without `hostile` can be
 * swapped in before the request's answer is shaped: the request is then answered as one
 * that arrived after the swap (validated against the new schema), which is as correct.
 */
function isUnavailableAfterSwap(result: Awaited<ReturnType<typeof gql>>): boolean {
  const [first] = result.errors ?? [];
  if (first?.extensions?.code !== 'OPERATION_UNAVAILABLE') return false;
  expect(first).toMatchObject({ extensions: { subgraph: 'hostile' } });
  return true;
}

describe('a subgraph that answers too much or fails with a GraphQL body', () => {
  let hostile: HostileSubgraph;
  let gateway: RunningGateway | undefined;

  /** A gateway over the hostile subgraph alone; only its circuit breaker can take it out. */
  async function start(
    subgraphRequests: GatewayConfigInput['subgraphRequests'] = {},
    composition: GatewayConfigInput['composition'] = {},
  ): Promise<RunningGateway> {
    const config = validateConfig({
      server: { port: 0 },
      limits: { rateLimit: false },
      composition: { sdlRetryMs: 50, ...composition },
      // A long reset: an open circuit stays open for the test to see it.
      subgraphRequests: {
        circuitBreaker: { minimumRequests: 3, errorPercentage: 50, resetMs: 60_000 },
        ...subgraphRequests,
      },
      subgraphs: { hostile: { url: hostile.url } },
    });
    gateway = await startGateway({ config, logger: silentLogger, sources: [new StaticSource({ hostile: true })] });
    if (composition.maxSdlBytes === undefined) await affordancesWhere(gateway, composed('hostile'));
    return gateway;
  }

  beforeEach(async () => {
    hostile = await new HostileSubgraph().start();
  });
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
    await hostile.close();
  });

  test('a 200 MB answer with its length announced is refused at the headers, unread', async () => {
    const { url } = await start();
    hostile.answer = { kind: 'huge', bytes: 200 * MiB, contentLength: true };
    const result = await gql(url, QUERY);
    expect(result.status).toBe(200);
    expect(result.errors).toEqual([
      expect.objectContaining({
        message: `subgraph hostile is unavailable (response too large (over ${16 * MiB} bytes)); retry later`,
        extensions: { code: 'BACKEND_UNAVAILABLE', subgraph: 'hostile' },
      }),
    ]);
    const sent = await hostile.huge[0]!;
    expect(sent.cutOff).toBe(true);
    expect(sent.written).toBeLessThan(16 * MiB);
  });

  test('a 200 MB answer without a length is cut off at the limit, and each such fetch counts towards the circuit', async () => {
    const { url } = await start();
    hostile.answer = { kind: 'huge', bytes: 200 * MiB, contentLength: false };
    const opened = affordancesWhere(gateway!, composed('hostile', false));
    for (let i = 0; i < 3; i++) {
      const result = await gql(url, QUERY);
      if (i === 2 && isUnavailableAfterSwap(result)) continue;
      expect(result.errors?.[0]).toMatchObject({
        message: expect.stringContaining('response too large'),
        extensions: { code: 'BACKEND_UNAVAILABLE' },
      });
    }
    for (const answer of hostile.huge) {
      const sent = await answer;
      expect(sent.cutOff).toBe(true);
      // What the gateway read, plus what the loopback socket buffers held: far from 200 MB.
      expect(sent.written).toBeLessThan(16 * MiB + 16 * MiB);
    }
    const down = await opened;
    expect(down.subgraphs.find((s) => s.name === 'hostile')!.reason).toMatch(/\(last: response too large/);
  });

  test('subgraphRequests.maxResponseBytes sets the limit', async () => {
    const { url } = await start({ maxResponseBytes: 64 * 1024 });
    hostile.answer = { kind: 'huge', bytes: 60 * 1024, contentLength: false };
    expect((await gql(url, QUERY)).errors).toBeUndefined();
    hostile.answer = { kind: 'huge', bytes: 1 * MiB, contentLength: false };
    expect((await gql(url, QUERY)).errors?.[0]?.message).toBe(
      `subgraph hostile is unavailable (response too large (over ${64 * 1024} bytes)); retry later`,
    );
  });

  test('an HTTP 500 with GraphQL errors counts towards the circuit; the client gets the errors, redacted', async () => {
    const { url } = await start();
    hostile.answer = LEAKY_500;
    const opened = affordancesWhere(gateway!, composed('hostile', false));
    for (let i = 0; i < 3; i++) {
      const result = await gql(url, QUERY);
      expect(result.status).toBe(200);
      if (i === 2 && isUnavailableAfterSwap(result)) continue;
      expect(result.data).toEqual({ hostile: null });
      expect(result.errors).toEqual([
        expect.objectContaining({
          message: expect.stringMatching(/^subgraph hostile answered INTERNAL_SERVER_ERROR: .*request id/),
          path: ['hostile'],
          extensions: { code: 'INTERNAL_SERVER_ERROR', subgraph: 'hostile', serviceName: 'hostile' },
        }),
      ]);
      expect(JSON.stringify(result)).not.toMatch(/10\.0\.0\.7|\/srv\/app|stacktrace/);
    }
    const down = await opened;
    expect(down.subgraphs.find((s) => s.name === 'hostile')!.reason).toMatch(
      /\(last: answered HTTP 500 with GraphQL errors\)$/,
    );
  });

  test('composition.maxSdlBytes bounds the SDL read: a larger one keeps the subgraph out, saying why', async () => {
    await hostile.close();
    const sdl = `${HOSTILE_SDL}\n# ${'x'.repeat(4096)}`;
    hostile = await new HostileSubgraph(json({ data: { _service: { sdl } } })).start();
    await start({}, { maxSdlBytes: 2048 });
    const refused = await affordancesWhere(gateway!, (a) =>
      /response too large/.test(a.subgraphs.find((s) => s.name === 'hostile')?.reason ?? ''),
    );
    expect(refused.subgraphs.find((s) => s.name === 'hostile')).toMatchObject({
      composed: false,
      reason: expect.stringContaining('cannot read its SDL: response too large (over 2048 bytes)'),
    });
  });
});
