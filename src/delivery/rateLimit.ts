import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { ErrorCode } from '../platform/errorCodes.js';
import { sendError, type RequestHandler } from '../platform/http/graphqlHandler.js';
import type { Logger } from '../platform/logger.js';
import { sharedRateLimiter, type SharedRateLimitOptions } from './sharedRateLimiter.js';

export interface RateLimitOptions {
  /** Sustained requests per second per client. */
  perSecond: number;
  /** Requests a client may make at once above the rate. */
  burst: number;
  /** Header that identifies a client; default: the remote address. */
  clientHeader?: string;
  /** Share each client's budget across replicas through Redis; default: per replica. */
  redis?: SharedRateLimitOptions;
}

export interface RateLimit {
  /** Wraps a route: the routes wrapped by one RateLimit share each client's budget. */
  limit(handler: RequestHandler): RequestHandler;
  /** Disconnects from Redis, if shared. */
  close(): Promise<void>;
}

/** Longer client ids (a hostile header value) are kept as their hash. */
const MAX_KEY_LENGTH = 128;

/**
 * Limits each client to `burst` requests per `burst / perSecond` seconds; beyond that
 * answers 429 with Retry-After and a GraphQL-shaped RATE_LIMITED error. With `redis`,
 * the replicas count together and the window is whole seconds: ⌈burst / perSecond⌉, with
 * the points of the same sustained rate (never fewer than `burst`).
 */
export function rateLimiter(options: RateLimitOptions, logger: Logger): RateLimit {
  const seconds = Math.max(1, Math.ceil(options.burst / options.perSecond));
  const shared = options.redis
    ? sharedRateLimiter(
        { points: Math.max(options.burst, Math.round(options.perSecond * seconds)), seconds },
        options.redis,
        logger,
      )
    : undefined;
  const limiter =
    shared?.limiter ?? new RateLimiterMemory({ points: options.burst, duration: options.burst / options.perSecond });
  const clientOf = (req: IncomingMessage): string => {
    const header = options.clientHeader ? req.headers[options.clientHeader] : undefined;
    const id = (Array.isArray(header) ? header[0] : header) ?? req.socket.remoteAddress ?? 'unknown';
    return id.length > MAX_KEY_LENGTH ? `sha256:${createHash('sha256').update(id).digest('base64url')}` : id;
  };
  return {
    limit: (handler) => async (req, res) => {
      try {
        await limiter.consume(clientOf(req));
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        const retry = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        res.setHeader('retry-after', String(retry));
        return sendError(
          res,
          429,
          `rate limit of ${options.perSecond} requests per second exceeded; retry in ${retry} s`,
          ErrorCode.RATE_LIMITED,
        );
      }
      return handler(req, res);
    },
    close: async () => shared?.close(),
  };
}
