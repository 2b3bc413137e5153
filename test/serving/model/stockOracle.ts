import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import type { GeneratedOperation } from './generateOperation.js';

/**
 * What a request got, reduced to what two correct gateways must agree on: the data
 * (keys sorted) and the error codes (sorted). `rejected` is a request refused before
 * execution: no data, only validation or variable-coercion errors.
 */
export interface Answer {
  readonly status?: number;
  readonly data: string;
  readonly codes: readonly string[];
  readonly rejected: boolean;
  /** Error messages, for failure reports only (not compared). */
  readonly messages: readonly string[];
}

const REJECTIONS = new Set(['GRAPHQL_VALIDATION_FAILED', 'OPERATION_UNAVAILABLE', 'BAD_USER_INPUT']);

/** A GraphQL response body (`{ data, errors }`) as an `Answer`. */
export function normalizeAnswer(
  body: { data?: unknown; errors?: readonly { message?: string; extensions?: { code?: unknown } }[] },
  status?: number,
): Answer {
  const codes = (body.errors ?? []).map((e) => String(e.extensions?.code ?? 'NO_CODE')).sort();
  const rejected = body.data === undefined && codes.length > 0 && codes.every((code) => REJECTIONS.has(code));
  const messages = (body.errors ?? []).map((e) => String(e.message));
  return { status, data: canonicalJson(body.data), codes, rejected, messages };
}

/** JSON with object keys sorted. */
function canonicalJson(value: unknown): string {
  if (value === undefined) return 'undefined';
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** True when two answers agree on data and error codes. */
export const sameAnswer = (a: Answer, b: Answer) => a.data === b.data && a.codes.join() === b.codes.join();

const quietLogger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * The reference: a stock `ApolloGateway` with a static `supergraphSdl` behind a stock
 * `ApolloServer`, one per supergraph (built on first use, kept until `close`), asked
 * with `executeOperation`.
 */
export class StockOracle {
  private readonly servers = new Map<string, Promise<ApolloServer>>();
  private readonly answers = new Map<string, Promise<Answer>>();

  /** The stock gateway's answer to `operation` over `supergraphSdl` (memoized). */
  answer(supergraphSdl: string, operation: GeneratedOperation): Promise<Answer> {
    const key = JSON.stringify([supergraphSdl, operation.query, operation.variables, operation.operationName]);
    let answer = this.answers.get(key);
    if (!answer) {
      answer = this.execute(supergraphSdl, operation);
      this.answers.set(key, answer);
    }
    return answer;
  }

  private async execute(supergraphSdl: string, operation: GeneratedOperation): Promise<Answer> {
    const server = await this.serverFor(supergraphSdl);
    const response = await server.executeOperation({
      query: operation.query,
      variables: operation.variables,
      operationName: operation.operationName,
    });
    if (response.body.kind !== 'single') throw new Error('the oracle answered incrementally');
    return normalizeAnswer(response.body.singleResult, response.http.status);
  }

  private serverFor(supergraphSdl: string): Promise<ApolloServer> {
    let server = this.servers.get(supergraphSdl);
    if (!server) {
      server = (async () => {
        const gateway = new ApolloGateway({ supergraphSdl, logger: quietLogger });
        const apollo = new ApolloServer({ gateway, logger: quietLogger, stopOnTerminationSignals: false });
        await apollo.start();
        return apollo;
      })();
      this.servers.set(supergraphSdl, server);
    }
    return server;
  }

  async close(): Promise<void> {
    const servers = await Promise.allSettled(this.servers.values());
    this.servers.clear();
    this.answers.clear();
    await Promise.all(servers.map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined)));
  }
}
