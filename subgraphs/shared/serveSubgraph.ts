import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLError, GraphQLSchema } from 'graphql';
import { graphqlHandler } from '../../src/platform/http/graphqlHandler.js';
import { startHttpServer, type RunningHttpServer } from '../../src/platform/http/httpServer.js';
import { createRegistry, graphqlMetricsPlugin, metricsHandler } from '../../src/platform/metrics.js';
import type { Logger } from '../../src/platform/logger.js';
import type { Registry } from 'prom-client';

export interface SubgraphServerOptions {
  host?: string;
  /** 0 picks a free port. */
  port: number;
  logger: Logger;
}

/** While this returns an error (its database is down, say), the subgraph answers nothing else. */
export type Unavailability = () => GraphQLError | undefined;

/** A running subgraph server. */
export interface SubgraphServer extends RunningHttpServer {
  /** Serves the schema at `index` of those it was started with from now on: a new version in place, no outage. */
  serveVersion(index: number): void;
}

/**
 * Serves a subgraph schema at /graphql, with /healthz, /readyz and /metrics (its own
 * request metrics plus whatever the subgraph registered on `registry`). Given several
 * schemas (versions), it serves the first until told otherwise. While `unavailable`
 * returns an error, /readyz is not ready and /graphql answers 503 with that error, so a
 * probe (the gateway's `{ __typename }`, a kubelet's) sees the subgraph down and why.
 */
export async function serveSubgraph(
  schemas: GraphQLSchema | readonly GraphQLSchema[],
  options: SubgraphServerOptions & { registry?: Registry; unavailable?: Unavailability },
): Promise<SubgraphServer> {
  const registry = options.registry ?? createRegistry('subgraph');
  const versions = Array.isArray(schemas) ? schemas : [schemas as GraphQLSchema];
  // One metrics plugin for every version: one set of series, whichever version answers.
  const metrics = graphqlMetricsPlugin(registry);
  const apollos = versions.map(
    (schema) =>
      new ApolloServer({
        schema,
        logger: options.logger,
        includeStacktraceInErrorResponses: false,
        // Shutdown is ours (runtime/shutdown.ts): Apollo would re-raise the signal mid-drain.
        stopOnTerminationSignals: false,
        // Federated tracing is for Apollo's hosted reporting, which this project does not use.
        plugins: [ApolloServerPluginInlineTraceDisabled(), metrics],
      }),
  );
  await Promise.all(apollos.map((apollo) => apollo.start()));
  const handlers = apollos.map((apollo) =>
    graphqlHandler(apollo, { bodyLimitBytes: 1024 * 1024, logger: options.logger }),
  );
  let current = 0;
  const unavailable = options.unavailable ?? (() => undefined);
  const http = await startHttpServer({
    host: options.host ?? '127.0.0.1',
    port: options.port,
    logger: options.logger,
    ready: () => unavailable() === undefined,
    routes: {
      '/graphql': async (request, response) => {
        const error = unavailable();
        if (!error) return handlers[current]!(request, response);
        request.resume();
        response.statusCode = 503;
        response.setHeader('retry-after', '1');
        response.setHeader('content-type', 'application/json; charset=utf-8');
        response.end(JSON.stringify({ errors: [error.toJSON()] }));
      },
      '/metrics': metricsHandler(registry),
    },
  });
  return {
    ...http,
    serveVersion: (index: number) => {
      if (!handlers[index]) throw new RangeError(`no schema version ${index + 1}; there are ${handlers.length}`);
      current = index;
    },
    close: async (graceMs?: number) => {
      await http.close(graceMs);
      await Promise.all(apollos.map((apollo) => apollo.stop()));
    },
  };
}
