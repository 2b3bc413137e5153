import type { IncomingHttpHeaders } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { graphqlHandler } from '../../src/platform/http/graphqlHandler.js';
import { startHttpServer, type RunningHttpServer } from '../../src/platform/http/httpServer.js';
import { silentLogger } from '../../src/platform/logger.js';

/** One request the subgraph got: its headers and what it asked. */
export interface SeenRequest {
  readonly headers: IncomingHttpHeaders;
  readonly query: string;
}

/**
 * A subgraph that records the headers of every request it gets (fetches, probes, SDL
 * reads) and answers `echo` with the headers of the request it is in. Its schema uses
 * federation's @authenticated and @requiresScopes. `hold()` makes `echo` wait until
 * released, so tests can keep fetches in flight at once.
 */
export class HeaderSubgraph {
  readonly seen: SeenRequest[] = [];
  private server?: RunningHttpServer;
  private apollo?: ApolloServer<{ headers: IncomingHttpHeaders }>;
  private gate?: { promise: Promise<void>; open: () => void };
  private readonly waiters = new Set<() => void>();

  /**
   * `echoField` names the root field that echoes; only the subgraph whose field is `echo`
   * has the secured fields (`secret`, `reports`, `publish`), so two of them compose.
   */
  constructor(private readonly echoField = 'echo') {}

  get url(): string {
    return `${this.server!.url}/graphql`;
  }

  /** Requests that ran a client's operation (not probes or SDL reads). */
  fetches(): SeenRequest[] {
    return this.seen.filter((r) => !r.query.includes('_service') && r.query.replace(/\s/g, '') !== '{__typename}');
  }

  /** Resolves once `predicate` holds of the requests seen (checked on every request). */
  until(predicate: (seen: readonly SeenRequest[]) => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (!predicate(this.seen)) return;
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
      check();
    });
  }

  /** From now on `echo` waits for release(). */
  hold(): void {
    let open = () => {};
    const promise = new Promise<void>((resolve) => (open = resolve));
    this.gate = { promise, open };
  }

  release(): void {
    this.gate?.open();
    this.gate = undefined;
  }

  async start(port = 0): Promise<this> {
    const { echoField } = this;
    const secured = echoField === 'echo';
    const schema = buildSubgraphSchema({
      typeDefs: parse(/* GraphQL */ `
        extend schema
          @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@shareable", "@authenticated", "@requiresScopes"])

        type Echo @shareable {
          "The value of a request header, null when absent."
          header(name: String!): String
          "Names of every header of the request, sorted."
          names: [String!]!
        }

        type Query {
          ${echoField}: Echo!
          ${secured ? 'secret: String @authenticated' : ''}
          ${secured ? 'reports: [Report!]! @requiresScopes(scopes: [["reports:read"], ["admin"]])' : ''}
        }
        ${
          secured
            ? `type Report @key(fields: "id") {
                 id: ID!
                 title: String!
                 total: Float @requiresScopes(scopes: [["finance:read"]])
               }
               type Mutation {
                 publish(title: String!): Report! @requiresScopes(scopes: [["reports:write"]])
               }`
            : ''
        }
      `),
      resolvers: {
        Query: {
          [echoField]: async (_root: unknown, _args: unknown, context: { headers: IncomingHttpHeaders }) => {
            await this.gate?.promise;
            return context.headers;
          },
          ...(secured && {
            secret: () => 'the secret',
            reports: () => [{ id: 'r1', title: 'Q1', total: 10.5 }],
          }),
        },
        ...(secured && {
          Mutation: {
            publish: (_root: unknown, args: { title: string }) => ({ id: 'r2', title: args.title, total: 0 }),
          },
        }),
        Echo: {
          header: (headers: IncomingHttpHeaders, args: { name: string }) => {
            const value = headers[args.name.toLowerCase()];
            return Array.isArray(value) ? value.join(', ') : (value ?? null);
          },
          names: (headers: IncomingHttpHeaders) => Object.keys(headers).sort(),
        },
      } as never,
    });
    // Every request is recorded as Apollo Server sees it: its query and the HTTP headers it came with.
    const record = {
      requestDidStart: async ({
        request,
        contextValue,
      }: {
        request: { query?: string };
        contextValue: { headers: IncomingHttpHeaders };
      }) => {
        this.seen.push({ headers: contextValue.headers, query: request.query ?? '' });
        for (const waiter of [...this.waiters]) waiter();
      },
    };
    this.apollo = new ApolloServer({
      schema,
      logger: silentLogger,
      stopOnTerminationSignals: false,
      plugins: [record],
    });
    await this.apollo.start();
    const handler = graphqlHandler(this.apollo as never, {
      bodyLimitBytes: 1024 * 1024,
      logger: silentLogger,
      contextOf: (req) => ({ headers: req.headers }),
    });
    this.server = await startHttpServer({
      host: '127.0.0.1',
      port,
      logger: silentLogger,
      routes: { '/graphql': handler },
    });
    return this;
  }

  async stop(): Promise<void> {
    this.release();
    await this.server?.close(0);
    await this.apollo?.stop();
  }
}
