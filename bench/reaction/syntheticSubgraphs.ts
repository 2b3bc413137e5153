import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Name of the i-th synthetic subgraph (1-based): s1, s2, … */
export const syntheticName = (i: number) => `s${i}`;

/** A root query field only the i-th synthetic subgraph has: present in the schema exactly when it is composed. */
export const syntheticRootField = (i: number) => `s${i}Items`;

/** Subgraphs per domain: each domain's subgraphs share one entity, as teams of one area do. */
const DOMAIN_SIZE = 10;

/**
 * The SDL of the i-th synthetic subgraph. Subgraphs come in domains of ten that all add
 * fields to their domain's entity; each also owns an entity (with an enum, an input, a
 * shared value type and root fields) and adds a field to its predecessor's entity, so
 * entities span subgraphs within and across domains and composition has real merging
 * and satisfiability work to do.
 */
export function syntheticSdl(i: number): string {
  const item = `S${i}Item`;
  const domain = `D${Math.floor((i - 1) / DOMAIN_SIZE)}Entity`;
  const previous = i > 1 ? `S${i - 1}Item` : undefined;
  return /* GraphQL */ `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@shareable"])

type ${domain} @key(fields: "id") {
  id: ID!
  s${i}Score: Float
  s${i}Items: [${item}!]!
}

type Money @shareable {
  amount: Float!
  currency: String!
}

enum S${i}Kind {
  SMALL
  MEDIUM
  LARGE
}

input S${i}Filter {
  kind: S${i}Kind
  minPrice: Float
}

"An entity owned by subgraph s${i}."
type ${item} @key(fields: "id") {
  id: ID!
  title: String!
  kind: S${i}Kind!
  price: Money!
  domain: ${domain}!
}
${previous ? `\ntype ${previous} @key(fields: "id") {\n  id: ID!\n  s${i}Note: String\n}\n` : ''}
type Query {
  s${i}Item(id: ID!): ${item}
  ${syntheticRootField(i)}(filter: S${i}Filter, first: Int = 10): [${item}!]!
}

type Mutation {
  s${i}Rename(id: ID!, title: String!): ${item}
}
`;
}

/** The HTTP server of the synthetic subgraphs: `${baseUrl}/s1/graphql`, … */
export interface SyntheticServer {
  readonly baseUrl: string;
  close(): Promise<void>;
}

/**
 * One HTTP server standing in for `count` subgraphs at /s<i>/graphql: it answers the
 * SDL query (`_service { sdl }`) and anything else with `{ __typename }`, which is all
 * composition and the reaction benchmark need from them.
 */
export async function serveSyntheticSubgraphs(count: number): Promise<SyntheticServer> {
  const bodies = new Map<string, string>();
  for (let i = 1; i <= count; i++) {
    bodies.set(`/${syntheticName(i)}/graphql`, JSON.stringify({ data: { _service: { sdl: syntheticSdl(i) } } }));
  }
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    req.on('end', () => {
      const sdl = bodies.get(req.url ?? '');
      res.setHeader('content-type', 'application/json');
      if (!sdl) {
        res.statusCode = 404;
        res.end('{"errors":[{"message":"no such subgraph"}]}');
      } else res.end(text.includes('_service') ? sdl : '{"data":{"__typename":"Query"}}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
