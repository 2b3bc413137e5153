import type { IncomingMessage, ServerResponse } from 'node:http';
import { MIMEType } from 'node:util';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { echo } from '../echo.js';
import { ErrorCode } from '../errorCodes.js';
import { REQUEST_ID_HEADER, requestIdFrom, runInRequest, type ReceivedAt } from '../requestContext.js';
import { extractContext, inSpan, SpanKind } from '../tracing.js';
import type { Logger } from '../logger.js';
import { BodyTooLargeError, readBody } from './readBody.js';

export interface GraphQLHandlerOptions {
  /** Largest accepted body in bytes. */
  bodyLimitBytes: number;
  /** Gets one debug line per request (with its request id). */
  logger?: Logger;
  /**
   * Run each request in an AsyncLocalStorage scope holding its request id, for code the
   * id cannot be handed to (a subgraph's resolvers calling gRPC, log lines). Default true.
   * The gateway turns it off: it hands the id on in the GraphQL context (`requestId`),
   * because on Node 20 an active AsyncLocalStorage hooks every promise the process
   * creates, which cost it a fifth of its throughput.
   */
  asyncScope?: boolean;
  /** More of the GraphQL context, from the request (the gateway's caller, from authentication). */
  contextOf?: (req: IncomingMessage) => object;
  /** Tried on every POST before Apollo Server (the gateway's serving fast path); see FastPath. */
  fastPath?: FastPath;
}

/** What a fast path is handed: a POST's parsed JSON body, its headers and query string, and its GraphQL context. */
export interface FastPathRequest {
  readonly body: unknown;
  readonly headers: HeaderMap;
  /** The URL's query string, `?` included (empty when none). */
  readonly search: string;
  readonly context: GraphQLRequestContext;
}

/** A complete answer, sent as it is. */
export interface FastAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * A fast path's verdict on a request: its answer, or more of the GraphQL context to hand
 * it to Apollo Server with; undefined hands it to Apollo Server as it came.
 */
export type FastPathOutcome = { readonly answer: FastAnswer } | { readonly context: object } | undefined;

/**
 * Answers what it can of the POSTs before Apollo Server's request pipeline does; whatever
 * it does not answer, Apollo Server answers as if there were no fast path.
 */
export type FastPath = (request: FastPathRequest) => Promise<FastPathOutcome>;

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * Serves an Apollo Server over Node's http module through its integration API
 * (`executeHTTPGraphQLRequest`): no framework between the socket and the executor.
 * Each request has a request id (taken from x-request-id or made up, echoed back, in the
 * GraphQL context as `requestId` and, by default, in an async scope) and runs inside a
 * server span parented by the caller's traceparent.
 */
export function graphqlHandler(server: ApolloServer<BaseContext>, options: GraphQLHandlerOptions): RequestHandler {
  const handle = executeOn(server, options);
  const asyncScope = options.asyncScope ?? true;
  return async (req, res) => {
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const receivedAt = performance.now();
    const serve = async () => {
      await inSpan(
        `${req.method ?? 'GET'} /graphql`,
        SpanKind.SERVER,
        () => handle(req, res, { ...options.contextOf?.(req), requestId, receivedAt }),
        extractContext(req.headers),
      );
      options.logger?.debug(
        {
          method: req.method,
          status: res.statusCode,
          durationMs: Math.round(performance.now() - receivedAt),
          // Within a scope the logger adds it to every line itself.
          ...(!asyncScope && { requestId }),
        },
        'graphql request',
      );
    };
    await (asyncScope ? runInRequest({ requestId }, serve) : serve());
  };
}

/** What a request's GraphQL context holds. */
export interface GraphQLRequestContext extends BaseContext, ReceivedAt {
  readonly requestId: string;
}

function executeOn(
  server: ApolloServer<BaseContext>,
  options: GraphQLHandlerOptions,
): (req: IncomingMessage, res: ServerResponse, context: GraphQLRequestContext) => Promise<void> {
  return async (req, res, context) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    let body: unknown;
    if (req.method === 'POST') {
      const unsupported = unsupportedMediaType(headers.get('content-type'));
      if (unsupported) return sendError(res, 415, unsupported);
      try {
        const text = await readBody(req, options.bodyLimitBytes);
        body = text === '' ? undefined : JSON.parse(text);
      } catch (error) {
        if (error instanceof BodyTooLargeError) return sendError(res, 413, error.message);
        if (error instanceof SyntaxError) {
          return sendError(res, 400, `request body is not valid JSON: ${error.message}`);
        }
        throw error;
      }
    }
    const fast =
      req.method === 'POST' ? await options.fastPath?.({ body, headers, search: url.search, context }) : undefined;
    if (fast && 'answer' in fast) {
      const { answer } = fast;
      for (const [key, value] of Object.entries(answer.headers)) res.setHeader(key, value);
      res.statusCode = answer.status;
      res.end(answer.body);
      return;
    }
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: async (): Promise<GraphQLRequestContext> => (fast ? { ...context, ...fast.context } : context),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };
}

/**
 * Why a POST body's media type is refused (415), or undefined for `application/json` in
 * UTF-8, the one the GraphQL-over-HTTP specification requires servers to accept
 * (https://graphql.github.io/graphql-over-http/draft/#sec-POST). Nothing else is read as
 * JSON, and a simple type (text/plain, a form) is no way around CSRF prevention.
 */
function unsupportedMediaType(contentType: string | undefined): string | undefined {
  const advice = 'send the request as application/json (UTF-8)';
  if (contentType === undefined) return `a POST needs a content-type header; ${advice}`;
  let type: MIMEType;
  try {
    type = new MIMEType(contentType);
  } catch {
    return `content-type ${echo(contentType)} is not a media type; ${advice}`;
  }
  if (type.essence !== 'application/json') return `content-type ${echo(type.essence)} is not supported; ${advice}`;
  const charset = type.params.get('charset')?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8') return `charset ${echo(charset)} is not supported; ${advice}`;
  return undefined;
}

/** A GraphQL-shaped error response for failures before the request reaches Apollo Server. */
export function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  code: string = ErrorCode.BAD_REQUEST,
): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}
