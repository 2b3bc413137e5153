import { HeaderMap } from '@apollo/server';
import { Registry } from 'prom-client';
import { complexityLimits } from '../../../src/delivery/apollo/complexityLimits.js';
import { requestRules } from '../../../src/delivery/apollo/requestRules.js';
import { servingFastPath } from '../../../src/delivery/apollo/servingFastPath.js';
import type { GatewayConfig } from '../../../src/config/schema.js';
import { startGateway, type RunningGateway } from '../../../src/gateway/startGateway.js';
import type { FastPathOutcome } from '../../../src/platform/http/graphqlHandler.js';
import { silentLogger } from '../../../src/platform/logger.js';
import { GraphQLRequestMetrics } from '../../../src/platform/metrics.js';
import { Backends } from '../../helpers/servers.js';

/** A POST to /graphql as a client sends it. */
interface Post {
  readonly body: unknown;
  readonly accept?: string;
}

const TOO_LONG_ID = 'x'.repeat(100);

/** Requests the fast path answers itself: plain queries that execute without an error. */
const ANSWERED: Record<string, Post> = {
  'a query': { body: { query: '{ customers { id name } }' } },
  'an operation by name, with variables': {
    body: {
      query: 'query One($id: ID!) { customer(id: $id) { name } } query Other { __typename }',
      operationName: 'One',
      variables: { id: '1' },
    },
  },
  'null operation name and variables': { body: { query: '{ __typename }', operationName: null, variables: null } },
  'extensions without a persisted query': {
    body: { query: '{ customers { id } }', extensions: { clientLibrary: { name: 'x', version: '1' } } },
  },
  'two subgraphs and the gRPC service': { body: { query: '{ customers { id invoices { id amount } } }' } },
  'the affordances subgraph': { body: { query: '{ affordances { subgraphs { name available } } }' } },
  'a client preferring graphql-response+json': {
    body: { query: '{ customers { id } }' },
    accept: 'application/graphql-response+json, application/json;q=0.9',
  },
  'a client accepting anything': { body: { query: '{ customers { id } }' }, accept: '*/*' },
};

/** Requests only Apollo Server answers: nothing is executed before it sees them. */
const REFUSED: Record<string, Post> = {
  'a mutation': {
    body: { query: `mutation { createInvoice(customerId: "1", amount: 1, description: "${'d'.repeat(600)}") { id } }` },
  },
  'a parse error': { body: { query: '{ customers {' } },
  'a validation error': { body: { query: '{ nope }' } },
  'an operation name the document lacks': { body: { query: '{ __typename }', operationName: 'Missing' } },
  'two operations and no name': { body: { query: 'query A { __typename } query B { __typename }' } },
  'a persisted query': { body: { extensions: { persistedQuery: { version: 1, sha256Hash: 'ab'.repeat(32) } } } },
  introspection: { body: { query: '{ __schema { queryType { name } } }' } },
  'variables as a string': { body: { query: '{ __typename }', variables: '{}' } },
  'too many aliases': {
    body: { query: `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: customers { id }`).join(' ')} }` },
  },
  'too deep': {
    body: { query: `{ customers { ${'invoices { customer { '.repeat(6)}id${' } }'.repeat(6)} } }` },
  },
  'an accept header with no type Apollo Server sends': { body: { query: '{ __typename }' }, accept: 'text/html' },
  'an empty body': { body: {} },
};

/** Requests the fast path executes whose results have errors: answered by Apollo Server from that outcome. */
const HANDED_ON: Record<string, Post> = {
  'a variable of the wrong type': {
    body: { query: 'query One($id: ID!) { customer(id: $id) { name } }', variables: { id: { x: 1 } } },
  },
  'a missing variable': { body: { query: 'query One($id: ID!) { customer(id: $id) { name } }' } },
  'a subgraph error': { body: { query: `query Long { customer(id: "${TOO_LONG_ID}") { name } }` } },
};

describe('the serving fast path', () => {
  const backends = new Backends();
  let fast: RunningGateway;
  let apolloOnly: RunningGateway;
  let config: GatewayConfig;

  beforeAll(async () => {
    await backends.startAll();
    config = backends.gatewayConfig();
    fast = await startGateway({ config, logger: silentLogger });
    apolloOnly = await startGateway({
      config: { ...config, server: { ...config.server, fastPath: false } },
      logger: silentLogger,
    });
  });
  afterAll(async () => {
    await Promise.all([fast?.close(), apolloOnly?.close()]);
    await backends.stopAll();
  });

  /** Status, headers (but the date and the request id) and body of an answer. */
  async function answer(gateway: RunningGateway, post: Post) {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(post.accept && { accept: post.accept }) },
      body: JSON.stringify(post.body),
    });
    const headers = [...response.headers].filter(([name]) => name !== 'date' && name !== 'x-request-id');
    return { status: response.status, headers, body: await response.text() };
  }

  test.each(Object.entries({ ...ANSWERED, ...REFUSED, ...HANDED_ON }))(
    '%s: answered exactly as Apollo Server alone answers it',
    async (_name, post) => {
      expect(await answer(fast, post)).toEqual(await answer(apolloOnly, post));
    },
  );

  describe('what it answers itself', () => {
    const outcomeOf = (post: Post): Promise<FastPathOutcome> => {
      const limits = complexityLimits(config.limits);
      const path = servingFastPath({
        served: () => fast.gateway.served(),
        rules: requestRules(limits),
        metrics: new GraphQLRequestMetrics(new Registry()),
        logger: silentLogger,
        cache: { get: async () => undefined, set: async () => {}, delete: async () => {} },
        debug: false,
      });
      const headers = new HeaderMap(post.accept ? [['accept', post.accept]] : []);
      return path({ body: post.body, headers, search: '', context: { requestId: 'test', receivedAt: 0 } });
    };

    test.each(Object.entries(ANSWERED))('answers %s', async (_name, post) => {
      const outcome = await outcomeOf(post);
      expect(outcome && 'answer' in outcome && outcome.answer.status).toBe(200);
    });

    test.each(Object.entries(REFUSED))('leaves %s to Apollo Server', async (_name, post) => {
      expect(await outcomeOf(post)).toBeUndefined();
    });

    test.each(Object.entries(HANDED_ON))('hands %s to Apollo Server with its outcome', async (_name, post) => {
      const outcome = await outcomeOf(post);
      expect(outcome && 'context' in outcome).toBe(true);
    });
  });

  test('a result with errors is executed once: Apollo Server answers from the outcome', async () => {
    const fetchesOfLong = async () => {
      const text = await (await fetch(`${backends.customers!.url}/metrics`)).text();
      return [...text.matchAll(/^graphql_requests_total\{operation="Long__customers__0"[^}]*\} (\d+)$/gm)]
        .map((m) => Number(m[1]))
        .reduce((a, b) => a + b, 0);
    };
    const before = await fetchesOfLong();
    for (let i = 0; i < 3; i++) {
      expect((await answer(fast, HANDED_ON['a subgraph error']!)).body).toContain('"errors"');
    }
    expect((await fetchesOfLong()) - before).toBe(3);
  });
});
