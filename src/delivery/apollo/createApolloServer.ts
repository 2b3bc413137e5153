import { ApolloServer } from '@apollo/server';
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import type { AffordanceState } from '../../affordances/affordanceState.js';
import type { FastPath } from '../../platform/http/graphqlHandler.js';
import type { Logger } from '../../platform/logger.js';
import { GraphQLRequestMetrics, type OperationLabelOptions } from '../../platform/metrics.js';
import type { ServedRequirements } from '../../serving/access/servedRequirements.js';
import type { ServingState } from '../../serving/servingState.js';
import { authorizationPlugin } from '../auth/authorizationPlugin.js';
import { boundedEchoesPlugin } from './boundedEchoes.js';
import type { Registry } from 'prom-client';
import { complexityLimits, type ComplexityLimitOptions } from './complexityLimits.js';
import { operationResolutionPlugin } from './operationResolution.js';
import { operationUnavailablePlugin } from './operationUnavailablePlugin.js';
import { requestRules } from './requestRules.js';
import { servingFastPath } from './servingFastPath.js';

export interface ApolloServerOptions {
  limits: ComplexityLimitOptions;
  /** Stack traces in error responses (config `server.debug`). */
  debug: boolean;
  /** Introspection allowed (config `server.introspection`). */
  introspection: boolean;
  /** Bounds on the operation label (config `server.metrics`). */
  metrics: OperationLabelOptions;
  /** Answer the queries it can without Apollo Server's request pipeline (config `server.fastPath`). */
  fastPath: boolean;
}

export interface ApolloServerDeps {
  gateway: GatewayInterface;
  /** The serving state served now, for the fast path. */
  served: () => ServingState | undefined;
  affordances: AffordanceState;
  registry: Registry;
  logger: Logger;
  /** Authorization from the schema (when `auth` is configured). */
  requirements?: ServedRequirements;
}

/** Apollo Server in front of the gateway, and the serving fast path beside it (see servingFastPath). */
export interface GatewayApollo {
  readonly server: ApolloServer;
  /** Undefined when switched off (or with Apollo usage reporting, which only Apollo Server's pipeline does). */
  readonly fastPath?: FastPath;
}

/** Apollo Server in front of the gateway, with this project's features as plugins, and the fast path beside it. */
export function createApolloServer(options: ApolloServerOptions, deps: ApolloServerDeps): GatewayApollo {
  const limits = complexityLimits(options.limits);
  const rules = requestRules(limits);
  const metrics = new GraphQLRequestMetrics(deps.registry, options.metrics);
  const server = new ApolloServer({
    gateway: deps.gateway,
    logger: deps.logger,
    plugins: [
      ...(deps.requirements ? [authorizationPlugin(deps.requirements)] : []),
      operationUnavailablePlugin(deps.affordances),
      operationResolutionPlugin(),
      limits.plugin,
      boundedEchoesPlugin(),
      // Last: it counts the errors as the others leave them.
      metrics.plugin(),
    ],
    validationRules: [...rules.validationRules],
    parseOptions: rules.parseOptions,
    validationOptions: rules.validationOptions,
    includeStacktraceInErrorResponses: options.debug,
    introspection: options.introspection,
    // One operation per request: a batch would multiply every limit.
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    // Shutdown is ours (runtime/shutdown.ts): Apollo would re-raise the signal mid-drain.
    stopOnTerminationSignals: false,
  });
  // With an Apollo key Apollo Server adds usage reporting to its pipeline, which the fast path would skip.
  const fast = options.fastPath && !process.env.APOLLO_KEY;
  return {
    server,
    fastPath: fast
      ? servingFastPath({
          served: deps.served,
          rules,
          metrics,
          requirements: deps.requirements,
          logger: deps.logger,
          cache: server.cache,
          debug: options.debug,
        })
      : undefined,
  };
}
