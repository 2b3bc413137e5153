import { print } from 'graphql';
import { AffordanceState } from '../affordances/affordanceState.js';
import { affordancesSchema } from '../affordances/affordancesSubgraph.js';
import { affordancesTypeDefs } from '../affordances/typeDefs.js';
import { AFFORDANCES_SUBGRAPH } from '../config/subgraphName.js';
import { AvailabilityState } from '../availability/availabilityState.js';
import { CircuitBreakerSource } from '../sources/circuitBreakerSource.js';
import { createSources } from './createSources.js';
import { httpGraphQLProbe } from '../sources/probe/httpProbe.js';
import type { AvailabilitySource } from '../availability/types.js';
import { hashSdl } from '../composition/composeSupergraph.js';
import { SupergraphManager } from '../composition/supergraphManager.js';
import type { GatewayConfig } from '../config/schema.js';
import { consoleHandler } from '../delivery/console/consoleHandler.js';
import { graphqlHandler, type RequestHandler } from '../platform/http/graphqlHandler.js';
import { ADMIN_CONNECTIONS } from './adminConnections.js';
import type { WorkerLink } from './primaryLink.js';
import { startHttpServer } from '../platform/http/httpServer.js';
import { rateLimiter } from '../delivery/rateLimit.js';
import { corsAllowed } from '../delivery/cors.js';
import { gatewayMetrics } from '../delivery/gatewayMetrics.js';
import { createRegistry, metricsHandler } from '../platform/metrics.js';
import type { Logger } from '../platform/logger.js';
import { ServedSchemaStore } from '../serving/servedSchema.js';
import { ChangeStream } from '../delivery/stream/changeStream.js';
import { createApolloServer } from '../delivery/apollo/createApolloServer.js';
import { DataSources } from '../serving/dataSources.js';
import { ServingGateway } from '../serving/servingGateway.js';
import { compileHeaderRules } from '../serving/headerRules.js';
import { ServedRequirements } from '../serving/access/servedRequirements.js';
import { Authentication } from '../delivery/auth/authentication.js';
import { CallerViews } from '../affordances/callerViews.js';
import { HistoryRecorder } from '../affordances/historyRecorder.js';
import { isSubgraphDiscovery, SubgraphSet } from '../availability/subgraphSet.js';
import { isSubgraphResourceFeed } from '../sources/kubernetes/subgraphResource.js';
import type { RunningSubgraphStatus } from '../delivery/kubernetesStatus/startSubgraphStatus.js';

export interface GatewayOptions {
  config: GatewayConfig;
  logger: Logger;
  /** Sources to use instead of those the config names (tests pass a StaticSource). */
  sources?: readonly AvailabilitySource[];
  /**
   * Runs as one of `server.workers` processes sharing the public port: no admin listener
   * (the primary serves it, with every worker's metrics), metrics labelled with the worker,
   * readiness told to the primary.
   */
  worker?: WorkerLink;
}

export interface RunningGateway {
  /** Base URL; GraphQL is served at `${url}/graphql`. */
  readonly url: string;
  /** Base URL of the admin listener (/healthz, /readyz, /metrics) when `server.adminPort` is set. */
  readonly adminUrl?: string;
  readonly availability: AvailabilityState;
  readonly manager: SupergraphManager;
  readonly served: ServedSchemaStore;
  readonly affordances: AffordanceState;
  /** The record of subgraph transitions (`affordances { history }`). */
  readonly history: HistoryRecorder;
  readonly gateway: ServingGateway;
  /** The Subgraph resources' status writer, when `availability.kubernetes.subgraphResources.status` is on. */
  readonly subgraphStatus?: Pick<RunningSubgraphStatus, 'identity' | 'isLeader'>;
  /** Turns not-ready, drains in-flight requests (up to `server.shutdownGraceMs`), closes watches and connections. */
  close(): Promise<void>;
}

/**
 * Wires the data flow: sources → availability state → supergraph manager (composition)
 * → serving core (one immutable state per supergraph) → affordances; then serves it over HTTP.
 */
export async function startGateway({ config, logger, sources, worker }: GatewayOptions): Promise<RunningGateway> {
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
  const registry = createRegistry('gateway', worker && { worker: String(worker.slot) });
  worker?.shareMetrics(registry);
  const configured = sources ?? (await createSources(config, logger));
  const subgraphSet = new SubgraphSet(
    new Map(
      Object.entries(config.subgraphs).map(([name, subgraph]) => [
        name,
        { url: subgraph.url, errors: subgraph.errors },
      ]),
    ),
    configured.filter(isSubgraphDiscovery),
    logger,
  );
  const breakerConfig = config.subgraphRequests.circuitBreaker;
  const breaker = breakerConfig
    ? new CircuitBreakerSource({
        ...breakerConfig,
        logger,
        trialProbe: (subgraph) =>
          httpGraphQLProbe(
            subgraph,
            subgraphSet.current().get(subgraph)?.url ?? '',
            config.availability.probe.timeoutMs,
          ),
      })
    : undefined;
  const allSources = breaker ? [...configured, breaker] : configured;
  const availability = new AvailabilityState({
    subgraphs: Object.keys(config.subgraphs),
    sources: allSources,
    settleMs: config.availability.settleMs,
    logger,
  });
  await availability.start();
  // Discovery is known once the sources have synced.
  availability.setSubgraphs([...subgraphSet.current().keys()]);

  const served = new ServedSchemaStore();
  // Set once the gateway exists; the manager hands it supergraphs composed ahead of need.
  let gateway: ServingGateway | undefined;
  const metrics = gatewayMetrics(registry, {
    availability,
    sources: allSources,
    served,
    composition: () => manager.status(),
  });
  const manager = new SupergraphManager({
    endpoints: subgraphSet.current(),
    availability,
    localSubgraphs: [
      {
        name: AFFORDANCES_SUBGRAPH,
        url: `local://${AFFORDANCES_SUBGRAPH}`,
        typeDefs: affordancesTypeDefs,
        sdlHash: hashSdl(print(affordancesTypeDefs)),
      },
    ],
    sdlTimeoutMs: config.composition.sdlTimeoutMs,
    maxSdlBytes: config.composition.maxSdlBytes,
    sdlRetryMs: config.composition.sdlRetryMs,
    sdlRefreshMs: config.composition.sdlRefreshMs,
    logger,
    onVersionRejected: metrics.onVersionRejected,
    onComposition: metrics.onComposition,
    onPrecomposed: (supergraphSdl) => gateway?.prebuild(supergraphSdl),
  });
  const stopDiscovery = subgraphSet.subscribe((endpoints) => {
    availability.setSubgraphs([...endpoints.keys()]);
    manager.setEndpoints(endpoints);
  });
  const affordances = new AffordanceState(served, manager, new Map([[AFFORDANCES_SUBGRAPH, affordancesTypeDefs]]));
  const history = new HistoryRecorder(config.history);
  const stopHistory = history.follow(affordances);
  metrics.followHistory(history);
  // Access requirements per state, read when it is served; used only when auth is configured.
  const requirements = new ServedRequirements();
  const authentication = new Authentication(config.auth, logger);
  const views = new CallerViews(requirements, authentication.enabled);
  const { timeoutMs, connections, shareInflight, maxResponseBytes } = config.subgraphRequests;
  const dataSources = new DataSources({
    local: new Map([[AFFORDANCES_SUBGRAPH, affordancesSchema(affordances, history, views)]]),
    timeoutMs,
    connections,
    shareInflight,
    maxResponseBytes,
    errorsOf: (subgraph) => subgraphSet.current().get(subgraph)?.errors ?? 'redact',
    logger,
    debug: config.server.debug,
    breaker,
    onFetch: metrics.onFetch,
    onSchemaMismatch: (subgraph) => manager.refresh(subgraph),
    headerPlanFor: compileHeaderRules(config.headers),
  });
  await manager.start();
  gateway = new ServingGateway({
    feed: manager,
    dataSourceFor: dataSources.dataSourceFor,
    logger,
    onBuild: metrics.onStateBuild,
    inlinePlannerBelowChars: config.composition.plannerThreadsFromChars,
  });
  served.follow(gateway);
  requirements.follow(gateway);
  affordances.follow(gateway);
  const subgraphStatus = await startSubgraphStatusWhenOn();
  gateway.onStatus(metrics.onServingStatus);
  // A state build needs the second core more than compositions ahead of need do.
  gateway.onStatus((status) => manager.holdBackground(status.phase === 'building'));
  served.subscribe(({ version, subgraphs }) => {
    const names = [...subgraphs].filter((name) => name !== AFFORDANCES_SUBGRAPH);
    logger.info({ version, subgraphs: names }, `serving schema ${version} with ${names.join(', ') || 'no subgraphs'}`);
  });

  const { server } = config;
  const { server: apollo, fastPath } = createApolloServer(
    {
      limits: config.limits,
      debug: server.debug,
      introspection: server.introspection,
      metrics: server.metrics,
      fastPath: server.fastPath,
    },
    {
      gateway,
      served: () => gateway?.served(),
      affordances,
      registry,
      logger,
      requirements: authentication.enabled ? requirements : undefined,
    },
  );
  await apollo.start();
  const changes = new ChangeStream(
    affordances,
    server.streams,
    logger,
    history,
    authentication.enabled
      ? (req) => {
          const caller = authentication.callerOf(req);
          return (snapshot) => views.viewOf(snapshot, caller);
        }
      : undefined,
  );
  // No async scope: the data sources read the request id from the GraphQL context.
  const graphql = authentication.guard(
    graphqlHandler(apollo, {
      bodyLimitBytes: server.bodyLimitBytes,
      logger,
      asyncScope: false,
      contextOf: authentication.contextOf,
      fastPath,
    }),
  );
  const { rateLimit } = config.limits;
  const clientRate = rateLimit ? rateLimiter(rateLimit, logger) : undefined;
  const limited = clientRate?.limit ?? ((handler: RequestHandler) => handler);
  const cors = {
    origins: server.cors.origins,
    extraHeaders: rateLimit && rateLimit.clientHeader ? [rateLimit.clientHeader] : [],
  };
  let shuttingDown = false;
  // Sources have synced once (start() resolved above); ready once a supergraph is served.
  const ready = () => !shuttingDown && served.get() !== undefined;
  // The probes read the admin port: it says ready only once the public port listens too.
  let listening = false;
  const admin =
    server.adminPort === undefined || worker
      ? undefined
      : await startHttpServer({
          host: server.host,
          port: server.adminPort,
          logger,
          ready: () => listening && ready(),
          connections: ADMIN_CONNECTIONS,
          routes: { '/metrics': metricsHandler(registry) },
        });
  const http = await startHttpServer({
    host: server.host,
    port: server.port,
    logger,
    ready,
    connections: server.connections,
    onConnectionRefused: metrics.onConnectionRefused,
    routes: {
      '/graphql': limited(corsAllowed(graphql, cors)),
      '/affordances/stream': limited(corsAllowed(authentication.guard(changes.handle), cors)),
      ...(server.console && { '/console': consoleHandler() }),
      ...(!admin && !worker && { '/metrics': metricsHandler(registry) }),
    },
  });
  listening = true;
  worker?.ready(true);
  logger.info({ url: `${http.url}/graphql`, admin: admin?.url }, 'gateway listening');
  return {
    url: http.url,
    adminUrl: admin?.url,
    availability,
    manager,
    served,
    affordances,
    history,
    gateway,
    subgraphStatus,
    close: async () => {
      shuttingDown = true;
      worker?.ready(false);
      // First, so another replica takes over the status while this one drains.
      await subgraphStatus?.stop();
      // Open streams never end by themselves; end them first or http.close() waits forever.
      await changes.close();
      await http.close(server.shutdownGraceMs);
      await admin?.close(0);
      await apollo.stop();
      stopDiscovery();
      manager.stop();
      stopHistory();
      affordances.stop();
      await availability.stop();
      await dataSources.close();
      await clientRate?.close();
    },
  };

  /** The status writer of Subgraph resources (every replica runs it, the Lease holder writes); loaded only when on. */
  async function startSubgraphStatusWhenOn(): Promise<RunningSubgraphStatus | undefined> {
    const resources = config.availability.kubernetes.subgraphResources;
    const feed = configured.find(isSubgraphResourceFeed);
    if (!resources || !resources.status || !feed) return undefined;
    const { startSubgraphStatus } = await import('../delivery/kubernetesStatus/startSubgraphStatus.js');
    return startSubgraphStatus({
      feed,
      availability,
      affordances,
      composition: manager,
      lease: resources.lease,
      logger,
    });
  }
}
