import { jest } from '@jest/globals';
import { startGateway, type RunningGateway } from '../../src/gateway/startGateway.js';
import { validateConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/platform/logger.js';
import { gql } from '../helpers/graphql.js';
import { Backends } from '../helpers/servers.js';

jest.setTimeout(20_000);

async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}

const codeOf = (body: { errors?: { extensions?: { code?: string } }[] }) => body.errors?.[0]?.extensions?.code;

describe('limits and bad input', () => {
  const backends = new Backends();
  let gateway: RunningGateway;

  beforeAll(async () => {
    await backends.startAll();
    const base = backends.gatewayConfig();
    const config = validateConfig({
      ...base,
      server: { ...base.server, bodyLimitBytes: 4096 },
      limits: { rateLimit: false, maxDepth: 4, maxAliases: 3, maxCost: 200, maxTokens: 300 },
    });
    gateway = await startGateway({ config, logger: silentLogger });
  });
  afterAll(async () => {
    await gateway?.close();
    await backends.stopAll();
  });

  test.each([
    [
      'too deep',
      '{ customers { invoices { customer { invoices { customer { id } } } } } }',
      'maxDepth',
      /deeper than limits\.maxDepth \(4\)/,
    ],
    [
      'an alias bomb',
      '{ a: customers { id } b: customers { id } c: customers { id } d: customers { id } }',
      'maxAliases',
      /more aliases than limits\.maxAliases \(3\)/,
    ],
    [
      'too costly',
      `{ ${'customers { invoices { id amount status currency createdAt description } } '.repeat(12)}}`,
      'maxCost',
      /costs more than limits\.maxCost \(200\)/,
    ],
    [
      'too many tokens',
      `{ customers { ${'id '.repeat(400)} } }`,
      'maxTokens',
      /more tokens than limits\.maxTokens \(300\)/,
    ],
  ])('%s: 400 QUERY_TOO_COMPLEX naming the limit', async (_name, query, limit, message) => {
    const response = await post(gateway.url, JSON.stringify({ query }));
    expect(response.status).toBe(400);
    const body = response.json();
    expect(codeOf(body)).toBe('QUERY_TOO_COMPLEX');
    expect(body.errors[0].message).toMatch(message);
    expect(body.errors[0].message).toMatch(/simplify it or split it/);
    expect(body.errors[0].extensions.limit).toBe(limit);
  });

  test('introspection is not depth-limited: clients need it', async () => {
    const query = '{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }';
    expect((await gql(gateway.url, query)).errors).toBeUndefined();
  });

  test.each([
    ['malformed JSON', '{"query": "{ customers { id } }"', {}, 400, 'BAD_REQUEST'],
    [
      'a body over the limit',
      JSON.stringify({ query: `{ customers { id } } #${'x'.repeat(5000)}` }),
      {},
      413,
      'BAD_REQUEST',
    ],
    ['no query', '{}', {}, 400, 'BAD_REQUEST'],
    ['a syntax error', JSON.stringify({ query: '{ customers { id }' }), {}, 400, 'GRAPHQL_PARSE_FAILED'],
    [
      'invalid variables',
      JSON.stringify({ query: 'query($id: ID!) { customer(id: $id) { id } }', variables: { id: { x: 1 } } }),
      {},
      400,
      'BAD_USER_INPUT',
    ],
    [
      'variables that are not an object',
      JSON.stringify({ query: '{ customers { id } }', variables: [1] }),
      {},
      400,
      'BAD_REQUEST',
    ],
    [
      'a batch (one operation per request)',
      JSON.stringify([{ query: '{ customers { id } }' }]),
      {},
      400,
      'BAD_REQUEST',
    ],
  ])('%s: a clear 4xx with a code, and the gateway stays up', async (_name, body, headers, status, code) => {
    const response = await post(gateway.url, body, headers);
    expect(response.status).toBe(status);
    const parsed = response.json();
    expect(parsed.errors[0].message.length).toBeGreaterThan(10);
    if (code !== 'BAD_REQUEST') expect(codeOf(parsed)).toBe(code);
    expect((await gql(gateway.url, '{ customers { id } }')).errors).toBeUndefined();
  });

  test.each([
    ['a simple content type (a possible CSRF)', 'text/plain', /content-type "text\/plain" is not supported/],
    ['a look-alike of JSON', 'application/jsonx', /content-type "application\/jsonx" is not supported/],
    ['JSON in another charset', 'application/json; charset=latin1', /charset "latin1" is not supported/],
    ['no media type at all', 'not a type', /content-type "not a type" is not a media type/],
  ])('%s: 415, and the message says what to send', async (_name, contentType, message) => {
    const response = await post(gateway.url, JSON.stringify({ query: '{ __typename }' }), {
      'content-type': contentType,
    });
    expect(response.status).toBe(415);
    expect(codeOf(response.json())).toBe('BAD_REQUEST');
    expect(response.json().errors[0].message).toMatch(message);
    expect(response.json().errors[0].message).toMatch(/send the request as application\/json \(UTF-8\)/);
  });

  test('application/json in UTF-8 (any case) is accepted', async () => {
    const response = await post(gateway.url, JSON.stringify({ query: '{ __typename }' }), {
      'content-type': 'Application/JSON; Charset=UTF-8',
    });
    expect(response.status).toBe(200);
  });

  test('more validation errors than graphql-js reports: 400 QUERY_TOO_COMPLEX, with the first errors', async () => {
    const response = await post(gateway.url, JSON.stringify({ query: '{ a } '.repeat(60) }));
    expect(response.status).toBe(400);
    const { errors } = response.json();
    expect(errors[0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'maxValidationErrors' });
    expect(errors[0].message).toMatch(/more than 100 validation errors.*fix the first 10/);
    expect(errors).toHaveLength(11);
    expect(JSON.stringify(errors)).not.toMatch(/Validation aborted/);
  });

  test.each([
    ['an operationName', { query: '{ __typename }', operationName: 'N'.repeat(3000) }],
    [
      'a variable value',
      { query: 'query($id: ID!) { customer(id: $id) { id } }', variables: { id: { x: 'v'.repeat(3000) } } },
    ],
    ['a field name', { query: `{ ${'f'.repeat(3000)} }` }],
  ])('%s sent back in an error is cut to 100 characters', async (_name, body) => {
    const response = await post(gateway.url, JSON.stringify(body));
    expect(response.status).toBe(400);
    const { message } = response.json().errors[0];
    expect(message.length).toBeLessThan(400);
    expect(message).toMatch(/(NNNN|vvvv|ffff)…"/);
  });

  test('no stack traces in error responses', async () => {
    const response = await post(gateway.url, JSON.stringify({ query: '{ invoice(id: "nope") { id } }' }));
    expect(response.text).not.toMatch(/stacktrace|at .*\.js:\d+/);
  });
});

describe('rate limiting', () => {
  test('a client over its rate gets 429 with Retry-After; other clients are unaffected', async () => {
    const backends = await new Backends().startAll();
    const base = backends.gatewayConfig();
    const config = validateConfig({
      ...base,
      limits: { rateLimit: { perSecond: 1, burst: 3, clientHeader: 'x-api-key' } },
    });
    const gateway = await startGateway({ config, logger: silentLogger });
    try {
      const send = (key: string) =>
        post(gateway.url, JSON.stringify({ query: '{ __typename }' }), { 'x-api-key': key });
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await send('alice')).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const limited = await send('alice');
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(codeOf(limited.json())).toBe('RATE_LIMITED');
      expect((await send('bob')).status).toBe(200);
    } finally {
      await gateway.close();
      await backends.stopAll();
    }
  });
});

describe('switches', () => {
  test('introspection can be switched off', async () => {
    const backends = await new Backends().startAll();
    const base = backends.gatewayConfig();
    const config = validateConfig({ ...base, server: { ...base.server, introspection: false } });
    const gateway = await startGateway({ config, logger: silentLogger });
    try {
      const result = await gql(gateway.url, '{ __schema { queryType { name } } }');
      expect(result.errors?.[0]?.message).toMatch(/introspection/i);
      expect((await gql(gateway.url, '{ customers { id } }')).errors).toBeUndefined();
    } finally {
      await gateway.close();
      await backends.stopAll();
    }
  });
});
