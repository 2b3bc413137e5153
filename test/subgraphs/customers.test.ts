import { startCustomersSubgraph } from '../../subgraphs/customers/server.js';
import type { RunningHttpServer } from '../../src/platform/http/httpServer.js';
import { silentLogger } from '../../src/platform/logger.js';
import { gql, type GraphQLResponse } from '../helpers/graphql.js';
import { rawPost } from './httpTestUtil.js';

interface Customer {
  id: string;
  name: string;
  email: string;
  createdAt: string;
}

const ONE_MIB = 1024 * 1024;

/** A JSON GraphQL request body of exactly `bytes` bytes (padded with JSON whitespace). */
function bodyOfSize(bytes: number): string {
  const head = '{"query":"{ customers(first: 1) { id } }"';
  return head + ' '.repeat(bytes - head.length - 1) + '}';
}

function onlyError(result: GraphQLResponse) {
  expect(result.errors).toHaveLength(1);
  return result.errors![0]!;
}

describe('customers subgraph over HTTP', () => {
  let subgraph: RunningHttpServer;

  const customerIds = async () => {
    const result = await gql<{ customers: { id: string }[] }>(subgraph.url, '{ customers(first: 500) { id } }');
    expect(result.errors).toBeUndefined();
    return result.data!.customers.map((c) => c.id);
  };
  /** A good query answers after whatever the test did. */
  const expectStillServing = async () => {
    const result = await gql(subgraph.url, '{ customer(id: "1") { name } }');
    expect(result).toEqual({ status: 200, data: { customer: { name: 'Ada Lovelace' } } });
  };

  beforeAll(async () => {
    subgraph = await startCustomersSubgraph({ port: 0, logger: silentLogger });
  });
  afterAll(async () => {
    await subgraph?.close();
  });

  test('listens on loopback', () => {
    expect(subgraph.url).toBe(`http://127.0.0.1:${subgraph.port}`);
  });

  describe('queries', () => {
    test('a fresh store holds the seeded customers, in creation order', async () => {
      const result = await gql<{ customers: Customer[] }>(subgraph.url, '{ customers { id name email createdAt } }');
      expect(result.errors).toBeUndefined();
      expect(result.data!.customers.map(({ id, name, email }) => ({ id, name, email }))).toEqual([
        { id: '1', name: 'Ada Lovelace', email: 'ada@example.com' },
        { id: '2', name: 'Grace Hopper', email: 'grace@example.com' },
        { id: '3', name: 'Alan Turing', email: 'alan@example.com' },
      ]);
      for (const c of result.data!.customers) expect(Number.isNaN(Date.parse(c.createdAt))).toBe(false);
    });

    test('customers(first) limits the page; 1 and 500 are the bounds', async () => {
      const one = await gql<{ customers: { id: string }[] }>(subgraph.url, '{ customers(first: 1) { id } }');
      expect(one.data!.customers).toEqual([{ id: '1' }]);
      const max = await gql<{ customers: { id: string }[] }>(subgraph.url, '{ customers(first: 500) { id } }');
      expect(max.errors).toBeUndefined();
      expect(max.data!.customers.length).toBeGreaterThanOrEqual(3);
    });

    test.each([0, 501, -1])('customers(first: %p) is BAD_USER_INPUT naming first', async (first) => {
      const result = await gql(subgraph.url, 'query($f: Int) { customers(first: $f) { id } }', { f: first });
      expect(result.data).toBeNull();
      const error = onlyError(result);
      expect(error.message).toMatch(/^first: must be between 1 and 500/);
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
      await expectStillServing();
    });

    test('customer(id) finds a customer, and is null without an error for an unknown id', async () => {
      const found = await gql(subgraph.url, '{ customer(id: "2") { id name email } }');
      expect(found).toEqual({
        status: 200,
        data: { customer: { id: '2', name: 'Grace Hopper', email: 'grace@example.com' } },
      });
      const missing = await gql(subgraph.url, '{ customer(id: "999") { id } }');
      expect(missing).toEqual({ status: 200, data: { customer: null } });
    });

    test.each(['abc', '0', '-1', '01', '1.5', ''])('customer(id: %p) is BAD_USER_INPUT naming id', async (id) => {
      const result = await gql(subgraph.url, 'query($id: ID!) { customer(id: $id) { id } }', { id });
      expect(result.data).toEqual({ customer: null });
      const error = onlyError(result);
      expect(error.message).toContain('is not a customer id');
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'id' });
      await expectStillServing();
    });
  });

  describe('createCustomer', () => {
    const CREATE =
      'mutation($n: String!, $e: String!) { createCustomer(name: $n, email: $e) { id name email createdAt } }';

    test('creates a customer (trimmed) that is then visible in customers and customer(id)', async () => {
      const before = await customerIds();
      const result = await gql<{ createCustomer: Customer }>(subgraph.url, CREATE, {
        n: '  Barbara Liskov ',
        e: ' barbara@example.com ',
      });
      expect(result.errors).toBeUndefined();
      const created = result.data!.createCustomer;
      expect(created).toMatchObject({ name: 'Barbara Liskov', email: 'barbara@example.com' });
      expect(before).not.toContain(created.id);
      expect(await customerIds()).toEqual([...before, created.id]);
      const read = await gql(subgraph.url, 'query($id: ID!) { customer(id: $id) { id name email createdAt } }', {
        id: created.id,
      });
      expect(read.data).toEqual({ customer: created });
    });

    test.each<[string, string, string, string, RegExp]>([
      ['an invalid email', 'Edsger Dijkstra', 'not-an-email', 'email', /is not an email address/],
      ['an email with spaces inside', 'Edsger Dijkstra', 'ed sger@example.com', 'email', /is not an email address/],
      ['an empty name', '', 'edsger@example.com', 'name', /must be 1 to 200 characters/],
      ['a blank name', '   ', 'edsger@example.com', 'name', /must be 1 to 200 characters/],
      ['a name over 200 characters', 'n'.repeat(201), 'edsger@example.com', 'name', /must be 1 to 200 characters/],
      ['a duplicate email', 'Ada Again', 'ada@example.com', 'email', /already exists/],
      ['a duplicate email in other case', 'Ada Again', 'ADA@Example.COM', 'email', /already exists/],
    ])('%s is BAD_USER_INPUT naming the argument, nothing is created', async (_name, n, e, argument, message) => {
      const before = await customerIds();
      const result = await gql(subgraph.url, CREATE, { n, e });
      expect(result.status).toBe(200);
      expect(result.data).toBeNull();
      const error = onlyError(result);
      expect(error.message).toMatch(message);
      expect(error.message.startsWith(`${argument}: `)).toBe(true);
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
      expect(await customerIds()).toEqual(before);
      await expectStillServing();
    });

    test('an email created in one case blocks the same email in another case', async () => {
      const first = await gql(subgraph.url, CREATE, { n: 'Edsger Dijkstra', e: 'Edsger@Example.com' });
      expect(first.errors).toBeUndefined();
      const second = await gql(subgraph.url, CREATE, { n: 'Edsger Again', e: 'edsger@example.com' });
      expect(onlyError(second).extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'email' });
    });
  });

  describe('HTTP edge', () => {
    test('a syntax error is 400 GRAPHQL_PARSE_FAILED', async () => {
      const result = await gql(subgraph.url, '{ customers { id ');
      expect(result.status).toBe(400);
      expect(onlyError(result).extensions).toMatchObject({ code: 'GRAPHQL_PARSE_FAILED' });
      await expectStillServing();
    });

    test('an unknown field is 400 GRAPHQL_VALIDATION_FAILED', async () => {
      const result = await gql(subgraph.url, '{ customers { id nope } }');
      expect(result.status).toBe(400);
      expect(onlyError(result).extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED' });
    });

    test('a body that is not JSON is 400 BAD_REQUEST', async () => {
      const response = await fetch(`${subgraph.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{ customers { id } }',
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await response.json()) as GraphQLResponse;
      expect(body.errors).toEqual([
        { message: expect.stringMatching(/^request body is not valid JSON/), extensions: { code: 'BAD_REQUEST' } },
      ]);
      await expectStillServing();
    });

    test('a body of exactly 1 MiB is accepted', async () => {
      const response = await rawPost(`${subgraph.url}/graphql`, bodyOfSize(ONE_MIB));
      expect(response.status).toBe(200);
      expect(JSON.parse(response.text)).toEqual({ data: { customers: [{ id: '1' }] } });
    });

    test('a body over 1 MiB (Content-Length declared) is 413 with a JSON error', async () => {
      const response = await fetch(`${subgraph.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: bodyOfSize(ONE_MIB + 1),
      });
      expect(response.status).toBe(413);
      const body = (await response.json()) as GraphQLResponse;
      expect(body.errors![0]).toEqual({
        message: `request body exceeds the limit of ${ONE_MIB} bytes`,
        extensions: { code: 'BAD_REQUEST' },
      });
      await expectStillServing();
    });

    test('a chunked body over 1 MiB (no Content-Length) is 413 too', async () => {
      const response = await rawPost(`${subgraph.url}/graphql`, bodyOfSize(ONE_MIB + 64 * 1024), {
        chunkBytes: 64 * 1024,
      });
      expect(response.status).toBe(413);
      expect(JSON.parse(response.text).errors[0].extensions).toEqual({ code: 'BAD_REQUEST' });
      await expectStillServing();
    });

    test('/healthz is 200 "ok" and /readyz is 200', async () => {
      const healthz = await fetch(`${subgraph.url}/healthz`);
      expect(healthz.status).toBe(200);
      expect(await healthz.text()).toBe('ok');
      const readyz = await fetch(`${subgraph.url}/readyz`);
      expect(readyz.status).toBe(200);
      expect(await readyz.text()).toBe('ready');
    });

    test('an unknown path is a 404 JSON error pointing at /graphql', async () => {
      const response = await fetch(`${subgraph.url}/no/such/path?x=1`);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await response.json()) as GraphQLResponse;
      expect(body.errors).toEqual([
        {
          message: expect.stringMatching(/^no route for \/no\/such\/path; GraphQL is served at \/graphql/),
          extensions: { code: 'NOT_FOUND' },
        },
      ]);
    });

    test('the server still answers afterwards', async () => {
      await expectStillServing();
      expect((await customerIds()).slice(0, 3)).toEqual(['1', '2', '3']);
    });
  });
});

describe('customers subgraph schema versions', () => {
  test('version 2 adds Customer.phone; switching in place keeps the store and the port', async () => {
    const subgraph = await startCustomersSubgraph({ port: 0, logger: silentLogger, schemaVersion: 2 });
    try {
      const v2 = await gql<{ customer: { phone: string } }>(subgraph.url, '{ customer(id: "1") { phone } }');
      expect(v2.data?.customer.phone).toMatch(/^\+1555\d{7}$/);
      subgraph.serveVersion(0);
      const v1 = await gql(subgraph.url, '{ customer(id: "1") { phone } }');
      expect(v1.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect((await gql(subgraph.url, '{ customer(id: "1") { name } }')).data).toEqual({
        customer: { name: 'Ada Lovelace' },
      });
      expect(() => subgraph.serveVersion(2)).toThrow('no schema version 3; there are 2');
    } finally {
      await subgraph.close();
    }
  });
});
