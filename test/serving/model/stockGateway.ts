import { composeServices } from '@apollo/composition';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { parse } from 'graphql';
import { ServedLog, type GatewayUnderTest, type StartGatewayUnderTest } from './gatewayInterface.js';

const quietLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** Reads a subgraph's SDL from `{ _service { sdl } }`. */
async function fetchSdl(url: string): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ _service { sdl } }' }),
  });
  const body = (await response.json()) as { data?: { _service?: { sdl?: string } } };
  const sdl = body.data?._service?.sdl;
  if (typeof sdl !== 'string') throw new Error(`no SDL from ${url}`);
  return sdl;
}

/**
 * A reference gateway for checking the harness itself: a stock `ApolloGateway` whose
 * supergraph is recomposed (with `composeServices`) from the available subgraphs on
 * every change and handed over through the stock `update` callback. A set that does not
 * compose leaves the previous supergraph served.
 */
export const startStockGateway: StartGatewayUnderTest = async (subgraphs) => {
  const urls = new Map(subgraphs.map((s) => [s.name, s.url]));
  const up = new Set(urls.keys());
  const sdls = new Map<string, Promise<string>>();
  const sdlOf = (url: string) => {
    let sdl = sdls.get(url);
    if (!sdl) sdls.set(url, (sdl = fetchSdl(url)));
    return sdl;
  };
  const compose = async (): Promise<string | undefined> => {
    const services = await Promise.all(
      [...up]
        .sort()
        .map(async (name) => ({ name, url: urls.get(name)!, typeDefs: parse(await sdlOf(urls.get(name)!)) })),
    );
    if (services.length === 0) return undefined;
    const result = composeServices(services);
    return result.errors ? undefined : result.supergraphSdl;
  };
  const initial = await compose();
  if (!initial) throw new Error('the initial subgraphs do not compose');
  let update: ((supergraphSdl: string) => void) | undefined;
  const gateway = new ApolloGateway({
    logger: quietLogger,
    supergraphSdl: async (options) => {
      update = options.update;
      return { supergraphSdl: initial };
    },
  });
  const log = new ServedLog();
  gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => log.record(coreSupergraphSdl));
  const apollo = new ApolloServer({ gateway, logger: quietLogger, stopOnTerminationSignals: false });
  const { url } = await startStandaloneServer(apollo, { listen: { port: 0, host: '127.0.0.1' } });
  // Changes are applied one at a time, in order.
  let applying = Promise.resolve();
  const reconcile = () => {
    applying = applying.then(async () => {
      const supergraphSdl = await compose();
      if (supergraphSdl && supergraphSdl !== log.history.at(-1)?.supergraphSdl) update?.(supergraphSdl);
    });
  };
  return {
    url,
    servedHistory: log.history,
    ownSubgraphs: [],
    ownRootFields: new Set(),
    onServed: (listener) => log.subscribe(listener),
    setAvailable: (name, ok) => {
      if (ok) up.add(name);
      else up.delete(name);
      reconcile();
    },
    setVersion: (name, target) => {
      urls.set(name, target);
      reconcile();
    },
    close: async () => {
      await applying;
      await apollo.stop();
    },
  } satisfies GatewayUnderTest;
};
