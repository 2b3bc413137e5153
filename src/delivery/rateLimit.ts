import type { IncomingMessage } from 'node:http';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { ErrorCode } from '../platform/errorCodes.js';
import { sendError, type RequestHandler } from '../platform/http/graphqlHandler.js';

export interface RateLimitOptions {
  /** Sustained requests per second per client. */
  perSecond: number;
  /** Requests a client may make at once above the rate. */
  burst: number;
  /** Header that identifies a client; default: the remote address. */
  clientHeader?: string;
}

/**
 * Limits each client to `burst` requests per `burst / perSecond` seconds; beyond that
 * answers 429 with Retry-After and a GraphQL-shaped RATE_LIMITED error. Returns the
 * wrapper for each route to limit: the routes share each client's budget.
 */
export function rateLimiter(options: RateLimitOptions): (handler: RequestHandler) => RequestHandler {
  const limiter = new RateLimiterMemory({ points: options.burst, duration: options.burst / options.perSecond });
  const clientOf = (req: IncomingMessage): string => {
    const header = options.clientHeader ? req.headers[options.clientHeader] : undefined;
    return (Array.isArray(header) ? header[0] : header) ?? req.socket.remoteAddress ?? 'unknown';
  };
  return (handler) => async (req, res) => {
    try {
      await limiter.consume(clientOf(req));
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      res.setHeader('retry-after', String(seconds));
      return sendError(
        res,
        429,
        `rate limit of ${options.perSecond} requests per second exceeded; retry in ${seconds} s`,
        ErrorCode.RATE_LIMITED,
      );
    }
    return handler(req, res);
  };
}
