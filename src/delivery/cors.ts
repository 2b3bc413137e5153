import type { IncomingMessage } from 'node:http';
import { echo } from '../platform/echo.js';
import { ErrorCode } from '../platform/errorCodes.js';
import { sendError, type RequestHandler } from '../platform/http/graphqlHandler.js';

export interface CorsOptions {
  /** Origins whose pages may call the route, exactly as browsers send them (config `server.cors.origins`). */
  origins: readonly string[];
  /** Request headers a page may send besides the usual GraphQL ones (the rate limit's client header). */
  extraHeaders?: readonly string[];
}

/** Request headers a GraphQL client or an EventSource sends. */
const ALLOWED_HEADERS = [
  'content-type',
  'accept',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'x-request-id',
  'traceparent',
  'tracestate',
  'last-event-id',
];
/** Response headers a page may read. */
const EXPOSED_HEADERS = 'x-request-id, retry-after';
/** How long a browser may reuse a preflight's answer. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * Cross-origin resource sharing (https://fetch.spec.whatwg.org/#http-cors-protocol) for
 * one route: a page on an allowed origin may call it (preflights answered here, 204); a
 * request from any other foreign origin is refused with 403 ORIGIN_NOT_ALLOWED before it
 * costs anything (a change stream slot, say). Requests without an Origin (not from a
 * browser) and from the gateway's own origin (the console) pass as before.
 */
export function corsAllowed(handler: RequestHandler, options: CorsOptions): RequestHandler {
  const allowed = new Set(options.origins);
  const allowHeaders = [...ALLOWED_HEADERS, ...(options.extraHeaders ?? [])].join(', ');
  return async (req, res) => {
    const origin = req.headers.origin;
    if (origin === undefined || sameOrigin(origin, req)) return handler(req, res);
    res.setHeader('vary', 'origin');
    if (!allowed.has(origin)) {
      return sendError(
        res,
        403,
        `pages from origin ${echo(origin)} may not call the gateway; ` +
          'if they should, add the origin to server.cors.origins',
        ErrorCode.ORIGIN_NOT_ALLOWED,
      );
    }
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      res.writeHead(204, {
        'access-control-allow-methods': 'GET, POST',
        'access-control-allow-headers': allowHeaders,
        'access-control-max-age': String(PREFLIGHT_MAX_AGE_SECONDS),
      });
      res.end();
      return;
    }
    return handler(req, res);
  };
}

/** The page is served by the gateway itself (browsers send Origin on same-origin POSTs too). */
function sameOrigin(origin: string, req: IncomingMessage): boolean {
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
