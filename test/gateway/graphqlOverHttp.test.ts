import { startGateway, type RunningGateway } from '../../src/gateway/startGateway.js';
import { silentLogger } from '../../src/platform/logger.js';
import { Backends } from '../helpers/servers.js';

const GRAPHQL_RESPONSE = 'application/graphql-response+json';

/** The GraphQL-over-HTTP specification's behaviour, as clients see it. */
describe('GraphQL over HTTP', () => {
  const backends = new Backends();
  let gateway: RunningGateway;
  let url: string;

  beforeAll(async () => {
    await backends.startAll();
    gateway = await startGateway({ config: backends.gatewayConfig(), logger: silentLogger });
    url = `${gateway.url}/graphql`;
  });
  afterAll(async () => {
    await gateway?.close();
    await backends.stopAll();
  });

  const get = (params: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${url}?${new URLSearchParams(params)}`, {
      // A non-simple header is what CSRF prevention asks of GET requests.
      headers: { 'apollo-require-preflight': 'true', ...headers },
    });
  const post = (body: unknown, accept: string) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept }, body: JSON.stringify(body) });

  test('GET runs a query', async () => {
    const response = await get({ query: '{ customers { id } }' });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: { customers: unknown[] } }).data.customers).toHaveLength(3);
  });

  test('GET with variables and an operation name', async () => {
    const response = await get({
      query: 'query One($id: ID!) { customer(id: $id) { name } } query Other { __typename }',
      operationName: 'One',
      variables: JSON.stringify({ id: '1' }),
    });
    expect(await response.json()).toEqual({ data: { customer: { name: 'Ada Lovelace' } } });
  });

  test('GET refuses a mutation with 405 and says to use POST', async () => {
    const response = await get({ query: 'mutation { createCustomer(name: "x", email: "x@example.com") { id } }' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toMatch(/POST/);
  });

  test('answers application/graphql-response+json when the client accepts it', async () => {
    const response = await post({ query: '{ __typename }' }, `${GRAPHQL_RESPONSE}, application/json;q=0.9`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(GRAPHQL_RESPONSE);
  });

  test.each([
    ['a parse error', '{ customers {', 400],
    ['a validation error', '{ nope }', 400],
  ])('%s is a 4xx with application/graphql-response+json', async (_name, query, status) => {
    const response = await post({ query }, GRAPHQL_RESPONSE);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(GRAPHQL_RESPONSE);
    expect(((await response.json()) as { errors: unknown[] }).errors).toHaveLength(1);
  });

  test('legacy clients accepting only application/json still get JSON', async () => {
    const response = await post({ query: '{ __typename }' }, 'application/json');
    expect(response.headers.get('content-type')).toMatch('application/json');
  });

  test('every response carries the request id, the caller’s when it sent one', async () => {
    const own = await post({ query: '{ __typename }' }, 'application/json');
    expect(own.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'trace-me-42' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.headers.get('x-request-id')).toBe('trace-me-42');
  });
});
