import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
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

/**
 * Serves a subgraph schema at /graphql, with /healthz, /readyz and /metrics (its own
 * request metrics plus whatever the subgraph registered on `registry`).
 */
export async function serveSubgraph(
  schema: GraphQLSchema,
  options: SubgraphServerOptions & { registry?: Registry },
): Promise<RunningHttpServer> {
  const registry = options.registry ?? createRegistry('subgraph');
  const apollo = new ApolloServer({
    schema,
    logger: options.logger,
    includeStacktraceInErrorResponses: false,
    // Shutdown is ours (runtime/shutdown.ts): Apollo would re-raise the signal mid-drain.
    stopOnTerminationSignals: false,
    // Federated tracing is for Apollo's hosted reporting, which this project does not use.
    plugins: [ApolloServerPluginInlineTraceDisabled(), graphqlMetricsPlugin(registry)],
  });
  await apollo.start();
  const http = await startHttpServer({
    host: options.host ?? '127.0.0.1',
    port: options.port,
    logger: options.logger,
    routes: {
      '/graphql': graphqlHandler(apollo, { bodyLimitBytes: 1024 * 1024, logger: options.logger }),
      '/metrics': metricsHandler(registry),
    },
  });
  return {
    ...http,
    close: async (graceMs?: number) => {
      await http.close(graceMs);
      await apollo.stop();
    },
  };
}
