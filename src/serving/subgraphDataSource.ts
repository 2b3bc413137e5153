import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { Pool } from 'undici';
import type { CircuitBreakerSource } from '../sources/circuitBreakerSource.js';
import { ErrorCode } from '../platform/errorCodes.js';
import type { Logger } from '../platform/logger.js';
import type { GraphQLRequestContext } from '../platform/http/graphqlHandler.js';
import { describeNetworkError, retryIfConnectionClosed } from '../platform/http/networkError.js';
import { AnswerTooLargeError, postText } from '../platform/http/postText.js';
import { currentRequestId, REQUEST_ID_HEADER } from '../platform/requestContext.js';
import { injectContext } from '../platform/tracing.js';
import { InflightFetches, sharingKey } from './inflightFetches.js';
import { explainSchemaMismatch } from './schemaMismatch.js';
import { propagatedHeaders, type HeaderPlan } from './headerRules.js';
import { redactSubgraphErrors, type SubgraphErrorMode } from './subgraphErrors.js';

/** What one fetch to a subgraph came to, for metrics and the circuit breaker. */
export interface FetchOutcome {
  readonly subgraph: string;
  readonly durationMs: number;
  /** Set when the fetch failed: no GraphQL response (network error, timeout, too large) or a 5xx, with GraphQL errors or without. */
  readonly failure?: string;
}

export interface SubgraphDataSourceOptions {
  name: string;
  url: string;
  timeoutMs: number;
  /** Keep-alive connections kept to this subgraph. */
  connections: number;
  /** Adds the raw upstream error (which names hosts) to BACKEND_UNAVAILABLE errors. */
  debug: boolean;
  onFetch?: (outcome: FetchOutcome) => void;
  /** Per-subgraph circuit breaker the fetches go through. */
  breaker?: CircuitBreakerSource;
  /** Identical query fetches in flight at once share one (see InflightFetches). */
  shareInflight: boolean;
  /** Told when the subgraph rejects a fetch as invalid for its schema (its version changed): re-read its SDL. */
  onSchemaMismatch?: (subgraph: string) => void;
  /** The client headers and claims each fetch of a client's operation sends (config `headers`); none when undefined. */
  headerPlanFor?: (subgraph: string) => HeaderPlan | undefined;
  /** Largest response body read; past it the connection is closed and the fetch fails as "response too large". */
  maxResponseBytes: number;
  /** What of the subgraph's own GraphQL errors reaches clients (see SubgraphErrorMode). */
  errors: SubgraphErrorMode;
  /** Where redacted errors are logged, as the subgraph sent them, under the request id. */
  logger?: Logger;
}

/**
 * Sends the gateway's fetches to one subgraph over a keep-alive undici pool. Every fetch
 * has a deadline and a response size limit, carries the request id and the trace context,
 * and a fetch that gets no GraphQL answer fails as BACKEND_UNAVAILABLE naming the
 * subgraph but no host. A 5xx with GraphQL errors is a failed fetch too (for the circuit
 * breaker), whose errors the client still gets; the subgraph's errors are redacted as
 * `errors` says.
 * Identical query fetches in flight at once share one fetch (see sharingKey and
 * isQueryFetch); the shared fetch carries the request id and trace context of the
 * request that sent it.
 */
export class SubgraphDataSource implements GraphQLDataSource {
  private readonly pool: Pool;
  private readonly inflight = new InflightFetches<UpstreamAnswer>();
  private readonly path: string;

  constructor(private readonly options: SubgraphDataSourceOptions) {
    const url = new URL(options.url);
    this.pool = new Pool(url.origin, {
      connections: options.connections,
      pipelining: 1,
      maxResponseSize: options.maxResponseBytes,
    });
    this.path = `${url.pathname}${url.search}`;
  }

  async process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    const { request, context } = options;
    const { name, timeoutMs, onFetch, breaker } = this.options;
    const body = JSON.stringify({
      query: request.query,
      variables: request.variables,
      operationName: request.operationName,
      extensions: request.extensions,
    });
    const describe = (error: unknown) =>
      error instanceof UpstreamError ? error.message : describeNetworkError(error, timeoutMs);
    const started = performance.now();
    const idempotent = isQueryFetch(options);
    // Handed on in the GraphQL context by the gateway's handler; from the async scope otherwise.
    const requestId = (context as Partial<GraphQLRequestContext> | undefined)?.requestId ?? currentRequestId();
    const headers = this.headersFor(requestId);
    // Propagated headers are part of the sharing key: callers sending different ones never share.
    const plan = this.options.headerPlanFor?.(name);
    if (plan) Object.assign(headers, propagatedHeaders(plan, options));
    const send = () => this.send(body, headers);
    const attempt = () => (idempotent ? retryIfConnectionClosed(send) : send());
    const guarded = () => (breaker ? breaker.guard(name, attempt, describe) : attempt());
    let response: GatewayGraphQLResponse;
    try {
      if (idempotent && this.options.shareInflight) {
        // Each caller gets its own copy: the gateway writes into the response objects it merges.
        const { value, shared } = await this.inflight.run(sharingKey(body, headers), guarded);
        response = shared ? (JSON.parse(value.text) as GatewayGraphQLResponse) : value.response;
      } else {
        response = (await guarded()).response;
      }
      onFetch?.({ subgraph: name, durationMs: performance.now() - started });
    } catch (error) {
      const reason = isOpenCircuit(error) ? 'circuit open' : describe(error);
      onFetch?.({ subgraph: name, durationMs: performance.now() - started, failure: reason });
      if (!(error instanceof FailedAnswer)) throw this.unavailable(error, reason);
      // A copy of its own for each caller that shared the fetch.
      response = JSON.parse(error.answer.text) as GatewayGraphQLResponse;
    }
    const redacted = redactSubgraphErrors(name, response, this.options.errors, requestId);
    if (this.options.errors === 'redact' && redacted !== response) this.logRedacted(response, requestId);
    const explained = explainSchemaMismatch(name, redacted);
    if (explained) this.options.onSchemaMismatch?.(name);
    return explained ?? redacted;
  }

  /** The error a fetch without a GraphQL answer fails with: BACKEND_UNAVAILABLE, naming the subgraph and no host. */
  private unavailable(error: unknown, reason: string): GraphQLError {
    const { name } = this.options;
    return new GraphQLError(`subgraph ${name} is unavailable (${reason}); retry later`, {
      extensions: {
        code: ErrorCode.BACKEND_UNAVAILABLE,
        subgraph: name,
        ...(this.options.debug && { detail: String((error as Error).message ?? error) }),
      },
    });
  }

  /** Logs the errors redaction hid from the client, cut short: a subgraph's answer must not flood the log either. */
  private logRedacted(response: GatewayGraphQLResponse, requestId: string | undefined): void {
    const errors = (response.errors ?? []).slice(0, MAX_LOGGED_ERRORS).map((error) => ({
      message: String(error.message).slice(0, MAX_LOGGED_CHARS),
      code: error.extensions?.code,
      path: error.path,
    }));
    const byClient = errors.every((e) => e.code === ErrorCode.BAD_USER_INPUT || e.code === ErrorCode.NOT_FOUND);
    const fields = { subgraph: this.options.name, requestId, errors, count: response.errors?.length };
    if (byClient) this.options.logger?.debug(fields, 'subgraph errors redacted');
    else this.options.logger?.warn(fields, 'subgraph errors redacted');
  }

  /** Every header a fetch sends: what it asks, its request id and its trace context. */
  private headersFor(requestId: string | undefined): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (requestId) headers[REQUEST_ID_HEADER] = requestId;
    injectContext(headers, { set: (carrier, key, value) => (carrier[key] = value) });
    return headers;
  }

  private async send(body: string, headers: Record<string, string>): Promise<UpstreamAnswer> {
    const { timeoutMs, maxResponseBytes } = this.options;
    const { statusCode, text } = await postText(this.pool, {
      path: this.path,
      headers,
      body,
      timeoutMs,
      maxBytes: maxResponseBytes,
    }).catch((error: unknown) => {
      if (error instanceof AnswerTooLargeError || isTooLarge(error))
        throw new UpstreamError(tooLarge(maxResponseBytes));
      throw error;
    });
    const parsed = parseGraphQL(text);
    if (!parsed) throw new UpstreamError(`answered HTTP ${statusCode} without a GraphQL response`);
    // Its errors still reach the client, but a 5xx is a failed fetch: the circuit breaker counts it.
    if (statusCode >= 500) throw new FailedAnswer(statusCode, { text, response: parsed });
    return { text, response: parsed };
  }

  /** Closes the pool's connections, aborting fetches still running (their requests were already cut). */
  close(): Promise<void> {
    return this.pool.destroy();
  }
}

/** A subgraph's GraphQL answer, parsed and as text (to give each sharer its own copy). */
interface UpstreamAnswer {
  readonly text: string;
  readonly response: GatewayGraphQLResponse;
}

/** A fetch that failed with a reason that names no host: shown to clients as it is. */
class UpstreamError extends Error {}

/** A 5xx with a GraphQL body: a failed fetch whose errors are still the client's answer. */
class FailedAnswer extends UpstreamError {
  constructor(
    status: number,
    readonly answer: UpstreamAnswer,
  ) {
    super(`answered HTTP ${status} with GraphQL errors`);
  }
}

const MAX_LOGGED_ERRORS = 10;
const MAX_LOGGED_CHARS = 1000;

const tooLarge = (maxBytes: number) => `response too large (over ${maxBytes} bytes)`;

/** undici's error for a body past the pool's `maxResponseSize` (it has closed the connection). */
const isTooLarge = (error: unknown) =>
  (error as { code?: unknown } | undefined)?.code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE';

/**
 * True when the fetch is part of a query: safe to send again on a dead pooled connection
 * and to share with identical fetches. Read from the client's parsed operation, so no
 * fetch of a mutation's plan (its entity fetches are queries in form) is ever either.
 * Health checks and SDL reads are queries.
 */
function isQueryFetch(options: GraphQLDataSourceProcessOptions): boolean {
  // The request kind enum is not exported; only an incoming operation has its request context.
  if (!('incomingRequestContext' in options)) return true;
  return options.incomingRequestContext.operation?.operation === 'query';
}

const isOpenCircuit = (error: unknown) => (error as { code?: unknown } | undefined)?.code === 'EOPENBREAKER';

function parseGraphQL(text: string): GatewayGraphQLResponse | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value === 'object' && value !== null && ('data' in value || 'errors' in value)) {
      return value as GatewayGraphQLResponse;
    }
  } catch {
    // Not JSON: the caller reports the status instead.
  }
  return undefined;
}
