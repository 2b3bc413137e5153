import { validateConfig } from '../../src/config/load.js';
import type { GatewayConfigInput } from '../../src/config/schema.js';
import { startGateway, type RunningGateway } from '../../src/gateway/startGateway.js';
import { silentLogger } from '../../src/platform/logger.js';
import { affordancesWhere, available } from '../helpers/gateway.js';
import { HeaderSubgraph } from '../helpers/headerSubgraph.js';
import { within } from '../helpers/within.js';

interface Fixture {
  readonly a: HeaderSubgraph;
  readonly b: HeaderSubgraph;
  gateway: RunningGateway;
}

/** Two real subgraphs that record every header they get (a: `echo`, b: `becho`), behind a gateway with these rules. */
function gatewayWithRules(headers: GatewayConfigInput['headers']): Fixture {
  const fixture = { a: new HeaderSubgraph('echo'), b: new HeaderSubgraph('becho') } as Fixture;
  beforeAll(async () => {
    await Promise.all([fixture.a.start(), fixture.b.start()]);
    const config = validateConfig({
      server: { port: 0 },
      availability: { settleMs: 0, probe: { intervalMs: 100, timeoutMs: 3000 } },
      composition: { sdlRetryMs: 50 },
      limits: { rateLimit: false },
      subgraphs: { a: { url: fixture.a.url }, b: { url: fixture.b.url } },
      headers,
    });
    fixture.gateway = await startGateway({ config, logger: silentLogger });
    await affordancesWhere(fixture.gateway, (s) => available('a')(s) && available('b')(s));
  });
  afterAll(async () => {
    await fixture.gateway?.close();
    await Promise.all([fixture.a.stop(), fixture.b.stop()]);
  });
  return fixture;
}

interface Answer {
  status: number;
  body: { data?: Record<string, any> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

async function post(url: string, query: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

/** The headers subgraph a and b saw for one query that reaches both. */
async function seenBy(fixture: Fixture, headers: Record<string, string>) {
  const { status, body } = await post(fixture.gateway.url, '{ echo { names } becho { names } }', headers);
  expect(status).toBe(200);
  return { a: body.data!.echo.names as string[], b: body.data!.becho.names as string[] };
}

const BASE = ['accept', 'connection', 'content-length', 'content-type', 'host', 'traceparent', 'x-request-id'];
const beyondBase = (names: readonly string[]) => names.filter((n) => !BASE.includes(n));

describe('header propagation', () => {
  describe('without rules', () => {
    const fixture = gatewayWithRules(undefined);

    test('no client header reaches a subgraph (as in Apollo Router)', async () => {
      const seen = await seenBy(fixture, { authorization: 'Bearer x', 'x-tenant': 't1', cookie: 'c=1' });
      expect(beyondBase(seen.a)).toEqual([]);
      expect(beyondBase(seen.b)).toEqual([]);
    });
  });

  describe('with rules for all and per subgraph', () => {
    const fixture = gatewayWithRules({
      all: {
        request: [
          { propagate: { named: 'authorization' } },
          { propagate: { matching: '^x-tenant-' } },
          { propagate: { named: 'x-client', rename: 'x-client-name', default: 'unknown' } },
          { insert: { name: 'x-gateway', value: 'affordance-gateway' } },
        ],
      },
      subgraphs: {
        b: { request: [{ remove: { named: 'authorization' } }, { remove: { matching: '^x-tenant-s' } }] },
      },
    });

    test('named, matching, renamed with a default and inserted headers reach the subgraphs; b removes some', async () => {
      const client = {
        authorization: 'Bearer abc',
        'x-tenant-id': 't1',
        'x-tenant-secret': 's',
        'x-other': 'not propagated',
        'x-client': 'cli',
      };
      const { body } = await post(
        fixture.gateway.url,
        `{ echo { auth: header(name: "authorization") id: header(name: "x-tenant-id") secret: header(name: "x-tenant-secret")
                  other: header(name: "x-other") client: header(name: "x-client-name") gw: header(name: "x-gateway") }
           becho { auth: header(name: "authorization") id: header(name: "x-tenant-id") secret: header(name: "x-tenant-secret")
                   client: header(name: "x-client-name") gw: header(name: "x-gateway") } }`,
        client,
      );
      expect(body.data).toEqual({
        echo: { auth: 'Bearer abc', id: 't1', secret: 's', other: null, client: 'cli', gw: 'affordance-gateway' },
        becho: { auth: null, id: 't1', secret: null, client: 'cli', gw: 'affordance-gateway' },
      });
    });

    test('an absent header takes its default; a matching rule never copies a reserved header', async () => {
      const seen = await seenBy(fixture, {});
      expect(beyondBase(seen.a)).toEqual(['x-client-name', 'x-gateway']);
      const { body } = await post(fixture.gateway.url, '{ echo { client: header(name: "x-client-name") } }');
      expect(body.data!.echo.client).toBe('unknown');
    });

    test('probes and SDL reads never carry propagated or inserted headers', async () => {
      await post(fixture.gateway.url, '{ echo { names } }', { authorization: 'Bearer abc', 'x-tenant-id': 't1' });
      // Wait for one more probe after that request, so probes sent while it was in flight count.
      const count = fixture.a.seen.length;
      await fixture.a.until((seen) => seen.slice(count).some((r) => r.query.includes('__typename')));
      const internal = fixture.a.seen.filter((r) => !fixture.a.fetches().includes(r));
      expect(internal.some((r) => r.query.includes('_service'))).toBe(true);
      for (const request of internal) {
        expect(Object.keys(request.headers).filter((n) => n.startsWith('x-') && n !== 'x-request-id')).toEqual([]);
        expect(request.headers.authorization).toBeUndefined();
      }
    });
  });

  describe('in-flight sharing', () => {
    const fixture = gatewayWithRules({ all: { request: [{ propagate: { named: 'authorization' } }] } });

    test('two clients with different Authorization headers never share an answer, under concurrent load', async () => {
      const tokens = ['Bearer alice', 'Bearer bob', 'Bearer carol', 'Bearer dave'];
      const query = '{ echo { auth: header(name: "authorization") } }';
      // Plans cached, so every request reaches the fetch at about the same time.
      for (const token of tokens) await post(fixture.gateway.url, query, { authorization: token });
      const before = fixture.a.fetches().length;
      fixture.a.hold();
      const requests = Array.from({ length: 80 }, (_, i) => tokens[i % tokens.length]!).map((token) =>
        post(fixture.gateway.url, query, { authorization: token }).then((answer) => ({ token, answer })),
      );
      // Held until one fetch per caller is in: were sharing blind to the header, only one would come.
      const callersIn = () =>
        new Set(
          fixture.a
            .fetches()
            .slice(before)
            .map((r) => r.headers.authorization),
        ).size;
      await within(
        10_000,
        'one fetch per caller in flight at once',
        fixture.a.until(() => callersIn() === tokens.length),
      );
      fixture.a.release();
      const answers = await Promise.all(requests);
      for (const { token, answer } of answers) {
        expect(answer.status).toBe(200);
        expect(answer.body.data!.echo.auth).toBe(token);
      }
      const fetched = fixture.a.fetches().slice(before);
      expect(new Set(fetched.map((r) => r.headers.authorization))).toEqual(new Set(tokens));
    });
  });
});
