import { ApolloServer } from '@apollo/server';
import { ApolloGateway, LocalGraphQLDataSource, RemoteGraphQLDataSource } from '@apollo/gateway';
import { AffordanceState } from '../affordances/affordanceState.js';
import { affordancesSchema } from '../affordances/affordancesSubgraph.js';
import { AFFORDANCES_SUBGRAPH, affordancesTypeDefs } from '../affordances/typeDefs.js';
import { AvailabilityState } from '../availability/availabilityState.js';
import { createSources } from '../availability/sources/createSources.js';
import type { AvailabilitySource } from '../availability/types.js';
import { hashSdl } from '../composition/composeSupergraph.js';
import { SupergraphManager } from '../composition/supergraphManager.js';
import type { GatewayConfig } from '../config/schema.js';
import { graphqlHandler } from '../http/graphqlHandler.js';
import { startHttpServer } from '../http/httpServer.js';
import type { Logger } from '../runtime/logger.js';
import { ServedSchemaStore } from '../schema/servedSchema.js';
import { operationUnavailablePlugin } from './plugins/operationUnavailablePlugin.js';
import { isSubgraphDiscovery, SubgraphSet } from './subgraphSet.js';
import { print } from 'graphql';

export interface GatewayOptions {
  config: GatewayConfig;
  logger: Logger;
  /** Sources to use instead of those the config names (tests pass a StaticSource). */
  sources?: readonly AvailabilitySource[];
}

export interface RunningGateway {
  /** Base URL; GraphQL is served at `${url}/graphql`. */
  readonly url: string;
  readonly availability: AvailabilityState;
  readonly manager: SupergraphManager;
  readonly served: ServedSchemaStore;
  readonly affordances: AffordanceState;
  close(): Promise<void>;
}

/**
 * Wires the data flow: sources → availability state → supergraph manager (composition)
 * → ApolloGateway (served schema) → affordances; then serves it over HTTP.
 */
export async function startGateway({ config, logger, sources }: GatewayOptions): Promise<RunningGateway> {
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
  const allSources = sources ?? createSources(config, logger);
  const subgraphSet = new SubgraphSet(config, allSources.filter(isSubgraphDiscovery), logger);
  const availability = new AvailabilityState({
    subgraphs: Object.keys(config.subgraphs),
    sources: allSources,
    settleMs: config.availability.settleMs,
    logger,
  });
  await availability.start();
  // Discovery is known once the sources have synced.
  availability.setSubgraphs([...subgraphSet.current().keys()]);

  const localUrl = `local://${AFFORDANCES_SUBGRAPH}`;
  const manager = new SupergraphManager({
    endpoints: subgraphSet.current(),
    availability,
    localSubgraphs: [
      {
        name: AFFORDANCES_SUBGRAPH,
        url: localUrl,
        typeDefs: affordancesTypeDefs,
        sdlHash: hashSdl(print(affordancesTypeDefs)),
      },
    ],
    sdlTimeoutMs: config.composition.sdlTimeoutMs,
    sdlRetryMs: config.composition.sdlRetryMs,
    logger,
  });
  const stopDiscovery = subgraphSet.subscribe((endpoints) => {
    availability.setSubgraphs([...endpoints.keys()]);
    manager.setEndpoints(endpoints);
  });
  const served = new ServedSchemaStore();
  const affordances = new AffordanceState(served, manager, new Map([[AFFORDANCES_SUBGRAPH, affordancesTypeDefs]]));
  const localSchema = affordancesSchema(affordances);
  const gateway = new ApolloGateway({
    supergraphSdl: manager,
    logger,
    buildService: ({ name, url }) =>
      name === AFFORDANCES_SUBGRAPH ? new LocalGraphQLDataSource(localSchema) : new RemoteGraphQLDataSource({ url }),
  });
  served.follow(gateway);
  served.subscribe(({ version, subgraphs }) => {
    const names = [...subgraphs].filter((name) => name !== AFFORDANCES_SUBGRAPH);
    logger.info({ version, subgraphs: names }, `serving schema ${version} with ${names.join(', ') || 'no subgraphs'}`);
  });

  const apollo = new ApolloServer({
    gateway,
    logger,
    plugins: [operationUnavailablePlugin(affordances)],
    includeStacktraceInErrorResponses: false,
    // Shutdown is ours (runtime/shutdown.ts): Apollo would re-raise the signal mid-drain.
    stopOnTerminationSignals: false,
    introspection: true,
  });
  await apollo.start();
  const http = await startHttpServer({
    host: config.server.host,
    port: config.server.port,
    logger,
    // Sources have synced once (start() resolved above); ready once a supergraph is served.
    ready: () => served.get() !== undefined,
    routes: {
      '/graphql': graphqlHandler(apollo, { bodyLimitBytes: config.server.bodyLimitBytes }),
    },
  });
  logger.info({ url: `${http.url}/graphql` }, 'gateway listening');
  return {
    url: http.url,
    availability,
    manager,
    served,
    affordances,
    close: async () => {
      await http.close();
      await apollo.stop();
      stopDiscovery();
      affordances.stop();
      await availability.stop();
    },
  };
}
