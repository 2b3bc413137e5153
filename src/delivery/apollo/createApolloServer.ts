import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import type { AffordanceState } from '../../affordances/affordanceState.js';
import type { Logger } from '../../platform/logger.js';
import { graphqlMetricsPlugin, type OperationLabelOptions } from '../../platform/metrics.js';
import { boundedEchoesPlugin } from './boundedEchoes.js';
import type { Registry } from 'prom-client';
import { complexityLimits, type ComplexityLimitOptions } from './complexityLimits.js';
import { knownRootOperationTypeRule } from './knownRootOperationType.js';
import { operationResolutionPlugin } from './operationResolution.js';
import { operationUnavailablePlugin } from './operationUnavailablePlugin.js';

export interface ApolloServerOptions {
  limits: ComplexityLimitOptions;
  /** Stack traces in error responses (config `server.debug`). */
  debug: boolean;
  /** Introspection allowed (config `server.introspection`). */
  introspection: boolean;
  /** Bounds on the operation label (config `server.metrics`). */
  metrics: OperationLabelOptions;
}

export interface ApolloServerDeps {
  gateway: GatewayInterface;
  affordances: AffordanceState;
  registry: Registry;
  logger: Logger;
  /** More plugins (authorization, when `auth` is configured). */
  plugins?: readonly ApolloServerPlugin[];
}

/** Apollo Server in front of the gateway, with this project's features as plugins. */
export function createApolloServer(options: ApolloServerOptions, deps: ApolloServerDeps): ApolloServer {
  const limits = complexityLimits(options.limits);
  return new ApolloServer({
    gateway: deps.gateway,
    logger: deps.logger,
    plugins: [
      ...(deps.plugins ?? []),
      operationUnavailablePlugin(deps.affordances),
      operationResolutionPlugin(),
      limits.plugin,
      boundedEchoesPlugin(),
      // Last: it counts the errors as the others leave them.
      graphqlMetricsPlugin(deps.registry, options.metrics),
    ],
    validationRules: [knownRootOperationTypeRule, ...limits.validationRules],
    parseOptions: limits.parseOptions,
    validationOptions: limits.validationOptions,
    includeStacktraceInErrorResponses: options.debug,
    introspection: options.introspection,
    // One operation per request: a batch would multiply every limit.
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    // Shutdown is ours (runtime/shutdown.ts): Apollo would re-raise the signal mid-drain.
    stopOnTerminationSignals: false,
  });
}
