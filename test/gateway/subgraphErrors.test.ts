import { jest } from '@jest/globals';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, parse } from 'graphql';
import { validateConfig } from '../../src/config/load.js';
import { startGateway, type RunningGateway } from '../../src/gateway/startGateway.js';
import { silentLogger } from '../../src/platform/logger.js';
import { StaticSource } from '../../src/sources/staticSource.js';
import { CapturedLogs } from '../helpers/capturedLogs.js';
import { affordancesWhere, composed } from '../helpers/gateway.js';
import type { GraphQLResponse } from '../helpers/graphql.js';
import { federationLink } from '../helpers/subgraphServers.js';

jest.setTimeout(30_000);

const INTERNALS = /10\.0\.0\.7|\/srv\/app|stacktrace|SELECT/;

/**
 * A real Apollo Server subgraph configured the way many are in development: stack traces
 * on, and errors that name its database host, its files and its queries.
 */
async function startLeakySubgraph(): Promise<{ url: string; stop: () => Promise<void> }> {
  const typeDefs = parse(`${federationLink(['@key'])}
    type Query { leak: String, badInput(id: ID!): String, missing: String, odd: String }`);
  const resolvers = {
    Query: {
      leak: () => {
        throw new Error('connect ECONNREFUSED 10.0.0.7:5432 (pool at /srv/app/db.js)');
      },
      badInput: (_: unknown, { id }: { id: string }) => {
        throw new GraphQLError(`id: no row ${id} in 10.0.0.7`, {
          extensions: { code: 'BAD_USER_INPUT', argument: 'id', sql: 'SELECT * FROM invoices' },
        });
      },
      missing: () => {
        throw new GraphQLError('no such thing', { extensions: { code: 'NOT_FOUND' } });
      },
      odd: () => {
        throw new GraphQLError('constraint pk_x violated on 10.0.0.7', { extensions: { code: 'DB_CONSTRAINT' } });
      },
    },
  };
  const apollo = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs, resolvers }),
    includeStacktraceInErrorResponses: true,
    stopOnTerminationSignals: false,
    logger: silentLogger,
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url } = await startStandaloneServer(apollo, { listen: { host: '127.0.0.1', port: 0 } });
  return { url, stop: () => apollo.stop() };
}

/** POSTs a query to the gateway with a request id of the test's choosing. */
async function ask(gateway: RunningGateway, query: string, requestId: string): Promise<GraphQLResponse> {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': requestId },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, ...((await response.json()) as Omit<GraphQLResponse, 'status'>) };
}

describe('subgraph error hygiene', () => {
  let leaky: Awaited<ReturnType<typeof startLeakySubgraph>>;
  const logs = new CapturedLogs();
  const gateways: RunningGateway[] = [];

  /** A gateway over the leaky subgraph, with its `errors` setting and `server.debug`. */
  async function gatewayWith(errors: 'redact' | 'passthrough' | undefined, debug = false): Promise<RunningGateway> {
    const config = validateConfig({
      server: { port: 0, debug },
      limits: { rateLimit: false },
      subgraphs: { leaky: { url: leaky.url, ...(errors && { errors }) } },
    });
    const gateway = await startGateway({
      config,
      logger: logs.loggerFor(`gateway ${errors} ${debug}`),
      sources: [new StaticSource({ leaky: true })],
    });
    gateways.push(gateway);
    await affordancesWhere(gateway, composed('leaky'));
    return gateway;
  }

  beforeAll(async () => {
    leaky = await startLeakySubgraph();
  });
  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.close()));
    await leaky?.stop();
  });

  describe('by default (redact)', () => {
    let gateway: RunningGateway;
    beforeAll(async () => {
      gateway = await gatewayWith(undefined);
    });

    test('an internal error keeps no message, address, path or stack trace: a generic one names the subgraph and the request id', async () => {
      const result = await ask(gateway, '{ leak }', 'redact-leak-1');
      expect(result.status).toBe(200);
      expect(result.data).toEqual({ leak: null });
      expect(result.errors).toEqual([
        {
          message:
            "subgraph leaky answered INTERNAL_SERVER_ERROR: it failed; the details are in the gateway's log under request id redact-leak-1",
          path: ['leak'],
          extensions: { code: 'INTERNAL_SERVER_ERROR', subgraph: 'leaky', serviceName: 'leaky' },
        },
      ]);
      expect(JSON.stringify(result)).not.toMatch(INTERNALS);
      // The operator finds the original under that request id.
      const logged = logs.of('gateway undefined false').find((line) => line.requestId === 'redact-leak-1');
      expect(logged).toMatchObject({
        msg: 'subgraph errors redacted',
        subgraph: 'leaky',
        errors: [expect.objectContaining({ message: expect.stringContaining('10.0.0.7:5432') })],
      });
    });

    test.each([
      [
        '{ badInput(id: "7") }',
        {
          message:
            'subgraph leaky answered BAD_USER_INPUT: an argument is invalid; check it against the field’s description (argument id)',
          extensions: { code: 'BAD_USER_INPUT', subgraph: 'leaky', argument: 'id', serviceName: 'leaky' },
        },
      ],
      [
        '{ missing }',
        {
          message: 'subgraph leaky answered NOT_FOUND: the object does not exist',
          extensions: { code: 'NOT_FOUND', subgraph: 'leaky', serviceName: 'leaky' },
        },
      ],
      [
        '{ odd }',
        {
          message: expect.stringMatching(/^subgraph leaky answered INTERNAL_SERVER_ERROR: it failed/),
          extensions: { code: 'INTERNAL_SERVER_ERROR', subgraph: 'leaky', serviceName: 'leaky' },
        },
      ],
    ])('%s keeps only a safe code (and the argument it names)', async (query, expected) => {
      const result = await ask(gateway, query, 'redact-codes');
      expect(result.errors).toEqual([expect.objectContaining(expected)]);
      expect(JSON.stringify(result)).not.toMatch(INTERNALS);
    });
  });

  test('subgraphs.<name>.errors: passthrough keeps its messages and extensions, never its stack traces', async () => {
    const gateway = await gatewayWith('passthrough');
    const bad = await ask(gateway, '{ badInput(id: "7") }', 'passthrough-1');
    expect(bad.errors).toEqual([
      expect.objectContaining({
        message: 'id: no row 7 in 10.0.0.7',
        extensions: {
          code: 'BAD_USER_INPUT',
          argument: 'id',
          sql: 'SELECT * FROM invoices',
          serviceName: 'leaky',
        },
      }),
    ]);
    const leak = await ask(gateway, '{ leak }', 'passthrough-2');
    expect(leak.errors?.[0]?.message).toBe('connect ECONNREFUSED 10.0.0.7:5432 (pool at /srv/app/db.js)');
    expect(JSON.stringify(leak)).not.toMatch(/stacktrace|db\.js:\d+/);
  });

  test('server.debug shows the subgraph’s errors as it sent them, whatever the subgraph’s setting', async () => {
    const gateway = await gatewayWith('redact', true);
    const leak = await ask(gateway, '{ leak }', 'debug-1');
    expect(leak.errors?.[0]).toMatchObject({
      message: 'connect ECONNREFUSED 10.0.0.7:5432 (pool at /srv/app/db.js)',
      extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: expect.any(Array) },
    });
  });
});
