import { validateConfig } from '../../src/config/load.js';
import { startGateway, type RunningGateway } from '../../src/gateway/startGateway.js';
import { silentLogger } from '../../src/platform/logger.js';
import { affordancesWhere, available } from '../helpers/gateway.js';
import { HeaderSubgraph } from '../helpers/headerSubgraph.js';
import { signingKey, token, type SigningKey } from '../helpers/jwks.js';
import { securedGateway } from '../helpers/securedGateway.js';

interface Answer {
  status: number;
  headers: Headers;
  body: { data?: Record<string, any> | null; errors?: { message: string; extensions?: Record<string, any> }[] };
}

async function post(url: string, query: string, bearer?: string): Promise<Answer> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer !== undefined && { authorization: `Bearer ${bearer}` }) },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Answer['body'] };
}

describe('authentication and authorization (auth configured, JWKS on loopback)', () => {
  const fixture = securedGateway({
    all: {
      request: [
        { propagate: { named: 'authorization' } },
        { insert: { name: 'x-user-id', fromClaim: 'sub' } },
        { insert: { name: 'x-tenant', fromClaim: 'tenant' } },
      ],
    },
  });
  let forger: SigningKey;
  beforeAll(async () => {
    // Same key id, another key: a forged token.
    forger = await signingKey('k1');
  });

  test('no token: public fields answer, anonymous', async () => {
    const { status, body } = await post(
      fixture.gateway.url,
      '{ echo { auth: header(name: "authorization") user: header(name: "x-user-id") } }',
    );
    expect(status).toBe(200);
    expect(body.data).toEqual({ echo: { auth: null, user: null } });
  });

  test.each([
    ['expired', () => token(fixture.key, { expiresIn: -60 }), 'the token has expired'],
    ['forged (another key, same kid)', () => token(forger), 'the token signature does not verify'],
    ['from another issuer', () => token(fixture.key, { issuer: 'https://evil.test' }), '"iss" claim'],
    ['for another audience', () => token(fixture.key, { audience: 'someone-else' }), '"aud" claim'],
    ['not a JWT', async () => 'not-a-token', 'not a valid signed JWT'],
  ])(
    'a token %s gets 401 UNAUTHENTICATED with a Bearer challenge, and nothing reaches the subgraph',
    async (_what, make, message) => {
      const before = fixture.subgraph.fetches().length;
      const { status, headers, body } = await post(fixture.gateway.url, '{ echo { names } }', await make());
      expect(status).toBe(401);
      expect(headers.get('www-authenticate')).toMatch(/^Bearer realm="affordance-gateway", error="invalid_token"/);
      expect(body.errors).toHaveLength(1);
      expect(body.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
      expect(body.errors![0]!.message).toContain(message);
      expect(fixture.subgraph.fetches().length).toBe(before);
    },
  );

  test('an expired token within the clock tolerance is accepted', async () => {
    const { status } = await post(fixture.gateway.url, '{ secret }', await token(fixture.key, { expiresIn: -2 }));
    expect(status).toBe(200);
  });

  test('@authenticated without a token: 401 UNAUTHENTICATED naming the field; nothing sent', async () => {
    const before = fixture.subgraph.fetches().length;
    const { status, headers, body } = await post(fixture.gateway.url, '{ secret echo { names } }');
    expect(status).toBe(401);
    expect(headers.get('www-authenticate')).toBe('Bearer realm="affordance-gateway"');
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('field Query.secret requires authentication'),
        extensions: expect.objectContaining({ code: 'UNAUTHENTICATED', coordinate: 'Query.secret' }),
      }),
    ]);
    expect(fixture.subgraph.fetches().length).toBe(before);
  });

  test('@requiresScopes without the scope: 403 FORBIDDEN naming field and scope; nothing sent', async () => {
    const before = fixture.subgraph.fetches().length;
    const { status, headers, body } = await post(
      fixture.gateway.url,
      'mutation { publish(title: "x") { id } }',
      await token(fixture.key, { scope: 'reports:read' }),
    );
    expect(status).toBe(403);
    expect(headers.get('www-authenticate')).toBe(
      'Bearer realm="affordance-gateway", error="insufficient_scope", scope="reports:write"',
    );
    expect(body.errors).toEqual([
      {
        message: expect.stringContaining('field Mutation.publish requires scope reports:write'),
        locations: [{ line: 1, column: 12 }],
        extensions: {
          code: 'FORBIDDEN',
          coordinate: 'Mutation.publish',
          reason: 'requires scope reports:write',
          missingScopes: ['reports:write'],
        },
      },
    ]);
    expect(fixture.subgraph.fetches().length).toBe(before);
  });

  test('a field of a type reached through a fragment is checked too, and any one alternative of scopes will do', async () => {
    const query = '{ reports { ...R } } fragment R on Report { id total }';
    const denied = await post(fixture.gateway.url, query, await token(fixture.key, { scope: 'admin' }));
    expect(denied.status).toBe(403);
    expect(denied.body.errors!.map((e) => e.extensions!.coordinate)).toEqual(['Report.total']);
    const allowed = await post(fixture.gateway.url, query, await token(fixture.key, { scope: 'admin finance:read' }));
    expect(allowed.status).toBe(200);
    expect(allowed.body.data).toEqual({ reports: [{ id: 'r1', total: 10.5 }] });
    const other = await post(
      fixture.gateway.url,
      '{ reports { id } }',
      await token(fixture.key, { scope: 'reports:read' }),
    );
    expect(other.body.data).toEqual({ reports: [{ id: 'r1' }] });
  });

  test('with the scope, the operation runs, and the claims reach the subgraph as headers', async () => {
    const bearer = await token(fixture.key, { scope: 'reports:write', subject: 'alice', claims: { tenant: 'acme' } });
    const published = await post(fixture.gateway.url, 'mutation { publish(title: "x") { id title } }', bearer);
    expect(published.body).toEqual({ data: { publish: { id: 'r2', title: 'x' } } });
    const echoed = await post(
      fixture.gateway.url,
      '{ echo { auth: header(name: "authorization") user: header(name: "x-user-id") tenant: header(name: "x-tenant") } }',
      bearer,
    );
    expect(echoed.body.data).toEqual({ echo: { auth: `Bearer ${bearer}`, user: 'alice', tenant: 'acme' } });
  });

  test('keys are cached, and a token signed by a new key (rotation) is verified after one more fetch', async () => {
    await post(fixture.gateway.url, '{ secret }', await token(fixture.key));
    const fetches = fixture.jwks.fetches;
    await post(fixture.gateway.url, '{ secret }', await token(fixture.key));
    expect(fixture.jwks.fetches).toBe(fetches);
    const rotated = await signingKey('k2');
    fixture.jwks.publish([fixture.key, rotated]);
    const { status } = await post(fixture.gateway.url, '{ secret }', await token(rotated));
    expect(status).toBe(200);
    expect(fixture.jwks.fetches).toBe(fetches + 1);
  });
});

describe('without auth configured', () => {
  const subgraph = new HeaderSubgraph('echo');
  let gateway: RunningGateway;
  beforeAll(async () => {
    await subgraph.start();
    const config = validateConfig({
      server: { port: 0 },
      availability: { settleMs: 0, probe: { intervalMs: 100, timeoutMs: 3000 } },
      limits: { rateLimit: false },
      subgraphs: { vault: { url: subgraph.url } },
    });
    gateway = await startGateway({ config, logger: silentLogger });
    await affordancesWhere(gateway, available('vault'));
  });
  afterAll(async () => {
    await gateway?.close();
    await subgraph.stop();
  });

  test('the directives have no effect and any Authorization header is ignored', async () => {
    const { status, body } = await post(gateway.url, 'mutation { publish(title: "x") { id total } } ', 'garbage');
    expect(status).toBe(200);
    expect(body.data).toEqual({ publish: { id: 'r2', total: 0 } });
  });
});
