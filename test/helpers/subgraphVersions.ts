import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import { serveSubgraph } from '../../subgraphs/shared/serveSubgraph.js';
import type { RunningHttpServer } from '../../src/platform/http/httpServer.js';
import { silentLogger } from '../../src/platform/logger.js';
import { federationLink } from './subgraphServers.js';

/**
 * Two versions of a customers subgraph, as a deploy would change it: v2 adds
 * `Customer.email` and a `createCustomer` mutation whose `email` argument is required.
 */
export const CUSTOMERS_V1 = `${federationLink(['@key'])}
  type Query { customer(id: ID!): Customer customers: [Customer!]! }
  type Customer @key(fields: "id") { id: ID! name: String! }`;
export const CUSTOMERS_V2 = `${federationLink(['@key'])}
  type Query { customer(id: ID!): Customer customers: [Customer!]! }
  type Mutation { createCustomer(name: String!, email: String!): Customer! }
  type Customer @key(fields: "id") { id: ID! name: String! email: String }`;

const ADA = { id: '1', name: 'Ada', email: 'ada@example.com' };

/** A customers schema with resolvers that answer whatever fields the version has. */
export function customersSchema(sdl: string): GraphQLSchema {
  return buildSubgraphSchema({
    typeDefs: parse(sdl),
    resolvers: {
      Query: { customer: (_: unknown, { id }: { id: string }) => (id === ADA.id ? ADA : null), customers: () => [ADA] },
      Mutation: { createCustomer: (_: unknown, args: { name: string; email: string }) => ({ id: '2', ...args }) },
      Customer: { __resolveReference: (ref: { id: string }) => (ref.id === ADA.id ? ADA : null) },
    } as never,
  });
}

/** Serves one version on a loopback address of its own (any of 127.0.0.0/8), like a pod. */
export async function servePod(sdl: string, host = '127.0.0.1'): Promise<RunningHttpServer & { graphqlUrl: string }> {
  const server = await serveSubgraph(customersSchema(sdl), { host, port: 0, logger: silentLogger });
  return Object.assign(server, { graphqlUrl: `${server.url}/graphql` });
}

/**
 * A Service in front of pods: forwards each request to the next target in turn, so reads
 * through it meet every version. Targets can be changed while it runs (a rollout).
 */
export class RoundRobinService {
  private next = 0;
  private constructor(
    private readonly server: Server,
    private targets: readonly string[],
  ) {}

  static async start(targets: readonly string[]): Promise<RoundRobinService> {
    let service: RoundRobinService | undefined;
    const server = createServer((request, response) => void service!.forward(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    service = new RoundRobinService(server, targets);
    return service;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/graphql`;
  }

  setTargets(targets: readonly string[]): void {
    this.targets = targets;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async forward(request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const target = this.targets[this.next++ % this.targets.length];
    try {
      if (!target) throw new Error('no pod');
      const answer = await fetch(target, {
        method: request.method,
        headers: { 'content-type': request.headers['content-type'] ?? 'application/json' },
        ...(request.method === 'POST' && { body: Buffer.concat(chunks) }),
      });
      response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      response.end(Buffer.from(await answer.arrayBuffer()));
    } catch {
      response.writeHead(503).end();
    }
  }
}
