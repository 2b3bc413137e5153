/**
 * Stock contender: Hive Gateway's runtime (@graphql-hive/gateway-runtime) on node:http,
 * with the same static supergraph and its default HTTP transport. Logs at warn, like
 * the others; nothing else tuned.
 * Usage: hiveGateway.ts <port> <supergraph.graphql>
 */
import { readFileSync } from 'node:fs';
import { createServer, type RequestListener } from 'node:http';
import { exitWithParent } from './exitWithParent.js';

/** The part of the runtime's API used here. */
interface GatewayRuntime extends RequestListener {
  dispose(): Promise<void> | void;
}
interface HiveRuntimeModule {
  createGatewayRuntime(config: { supergraph: string; logging: string }): GatewayRuntime;
}

// Imported by a computed name: its typings pull in the DOM lib (through @whatwg-node/fetch),
// which would change the types of the whole project under `npm run typecheck`.
const moduleName = '@graphql-hive/gateway-runtime';
const { createGatewayRuntime } = (await import(moduleName)) as HiveRuntimeModule;

const [port, supergraphFile] = process.argv.slice(2);
const gateway = createGatewayRuntime({ supergraph: readFileSync(supergraphFile!, 'utf8'), logging: 'warn' });
const server = createServer(gateway);
await new Promise<void>((resolve) => server.listen(Number(port), '127.0.0.1', resolve));
exitWithParent(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await gateway.dispose();
});
