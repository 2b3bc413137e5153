import type { GatewayGraphQLRequestContext, GatewaySchemaHash } from '@apollo/server-gateway-interface';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import { getOperationAST, OperationTypeNode } from 'graphql';
import type { FastPath } from '../../platform/http/graphqlHandler.js';
import type { Logger } from '../../platform/logger.js';
import type { GraphQLRequestMetrics } from '../../platform/metrics.js';
import type { ServedRequirements } from '../../serving/access/servedRequirements.js';
import { executedContext, executeOnState, type ExecutionOutcome } from '../../serving/executeOnState.js';
import type { ServingState } from '../../serving/servingState.js';
import { deniedUses } from '../auth/authorizationPlugin.js';
import { PreparedDocuments } from './preparedDocuments.js';
import { RequestHeaders } from './requestHeaders.js';
import type { RequestRules } from './requestRules.js';
import { responseMediaType } from './responseMediaType.js';

export interface ServingFastPathOptions {
  /** The state served now (ServingGateway.served): the request is validated and executed on it. */
  served: () => ServingState | undefined;
  /** The parse options and validation rules Apollo Server has too. */
  rules: RequestRules;
  /** The request metrics Apollo Server's plugin counts in. */
  metrics: GraphQLRequestMetrics;
  /** Authorization from the schema, when `auth` is configured (the authorization plugin's). */
  requirements?: ServedRequirements;
  /** What Apollo Server hands its executor as logger and cache. */
  logger: Logger;
  cache: KeyValueCache<string>;
  /** Stack traces in error responses (Apollo Server's `includeStacktraceInErrorResponses`). */
  debug: boolean;
}

/**
 * The gateway's serving fast path: the queries Apollo Server would execute and answer
 * without an error, answered without its request pipeline (per request it awaits every
 * plugin's hook in every phase, hashes the query and negotiates the media type twice:
 * about 40% of the gateway's own CPU time per request on a single-subgraph query).
 *
 * It takes a POST whose body is a plain query request (no persisted query), whose
 * document Apollo Server would find valid (the same parse options and rules, plus
 * graphql-js's; introspection is left to it), naming a query operation, with an `accept`
 * header Apollo Server would answer, that the authorization plugin would let through;
 * and executes it on the state served now, as Apollo Server's executor would.
 * A result without errors is answered here exactly as Apollo Server answers it (status,
 * content type, `cache-control: no-store`, body) and counted in the same metrics. Every
 * other request goes to Apollo Server as it came, and every other outcome (errors, a
 * throw) goes to Apollo Server with the outcome, which it then answers without executing
 * again: so its plugins, error formatting and status codes are the only ones. Mutations
 * never take this path (one executed here must not run twice).
 */
export function servingFastPath(options: ServingFastPathOptions): FastPath {
  const documents = new PreparedDocuments(options.rules);
  const mediaType = responseMediaType();
  return async ({ body, headers, search, context }) => {
    const request = plainQueryRequest(body);
    const state = options.served();
    if (!request || !state) return undefined;
    const prepared = documents.get(state.schema, request.query);
    if (!prepared) return undefined;
    const operation = getOperationAST(prepared.document, request.operationName);
    if (operation?.operation !== OperationTypeNode.QUERY) return undefined;
    const contentType = mediaType(headers.get('accept'));
    if (!contentType) return undefined;
    const { requirements } = options;
    if (requirements && deniedUses(requirements, state.schema, prepared.document, operation, context).length > 0) {
      return undefined;
    }
    const requestContext: GatewayGraphQLRequestContext = {
      request: {
        ...request,
        http: { method: 'POST', url: `https://unknown-url.invalid/${search}`, headers: new RequestHeaders(headers) },
      },
      logger: options.logger,
      schema: state.schema,
      schemaHash: NO_SCHEMA_HASH,
      context,
      cache: options.cache,
      queryHash: prepared.queryHash,
      document: prepared.document,
      source: request.query,
      operationName: operation.name?.value ?? null,
      operation,
      metrics: {},
      debug: options.debug,
      // Nothing here reads or restricts a cache policy: the answer is never cacheable (below).
      overallCachePolicy: undefined,
      requestIsBatched: false,
    };
    let outcome: ExecutionOutcome;
    try {
      outcome = { result: await executeOnState(state, requestContext) };
    } catch (error) {
      outcome = { error };
    }
    if (!('result' in outcome) || outcome.result.errors !== undefined || outcome.result.extensions !== undefined) {
      return { context: executedContext(state.schema, outcome) };
    }
    options.metrics.succeeded(options.metrics.operationLabel(operation), context.receivedAt);
    return {
      answer: {
        status: 200,
        // In Apollo Server's order: its cache-control plugin's header (for a policy no fetch
        // restricted), then the negotiated content type.
        headers: { 'cache-control': 'no-store', 'content-type': contentType },
        // Apollo Server's stringifyResult: the result's fields in its order, and a newline.
        body: `${JSON.stringify({ data: outcome.result.data })}\n`,
      },
    };
  };
}

/** What Apollo Server hands its executor as `schemaHash` since version 4. */
const NO_SCHEMA_HASH = 'schemaHash no longer exists since Apollo Server 4' as GatewaySchemaHash;

interface PlainQueryRequest {
  readonly query: string;
  readonly operationName?: string;
  readonly variables?: Record<string, unknown>;
  readonly extensions?: Record<string, unknown>;
}

/**
 * The POST body as Apollo Server reads it, when it is one it accepts without a word: a
 * JSON object with a non-empty `query`, and `operationName`, `variables` and `extensions`
 * of the right types or absent, and no persisted query. Anything else is for Apollo
 * Server to accept or refuse.
 */
function plainQueryRequest(body: unknown): PlainQueryRequest | undefined {
  if (!isRecord(body)) return undefined;
  const { query, operationName, variables, extensions } = body;
  if (typeof query !== 'string' || query === '') return undefined;
  if (operationName != null && typeof operationName !== 'string') return undefined;
  if (variables != null && !isRecord(variables)) return undefined;
  if (extensions != null && (!isRecord(extensions) || 'persistedQuery' in extensions)) return undefined;
  return {
    query,
    operationName: operationName ?? undefined,
    variables: variables ?? undefined,
    extensions: extensions ?? undefined,
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
