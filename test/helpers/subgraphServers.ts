import type { GraphQLSchema } from 'graphql';
import { serveSubgraph } from '../../subgraphs/shared/serveSubgraph.js';
import type { RunningHttpServer } from '../../src/platform/http/httpServer.js';
import { silentLogger } from '../../src/platform/logger.js';

/** The federation link every test subgraph starts with, importing `imports`. */
export const federationLink = (imports: readonly string[]) =>
  `extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: [${imports.map((i) => `"${i}"`).join(', ')}])`;

/** Serves each schema as a real subgraph on a loopback port; their config entries, and a stop for all. */
export async function serveSchemas(schemas: Readonly<Record<string, GraphQLSchema>>): Promise<{
  subgraphs: Record<string, { url: string }>;
  close(): Promise<void>;
}> {
  const servers: RunningHttpServer[] = [];
  const subgraphs: Record<string, { url: string }> = {};
  for (const [name, schema] of Object.entries(schemas)) {
    const server = await serveSubgraph(schema, { port: 0, logger: silentLogger });
    servers.push(server);
    subgraphs[name] = { url: `${server.url}/graphql` };
  }
  return { subgraphs, close: async () => void (await Promise.all(servers.map((s) => s.close()))) };
}
