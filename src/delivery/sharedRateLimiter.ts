import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Logger } from '../platform/logger.js';

export interface SharedRateLimitOptions {
  /** `redis://[:password@]host:port[/db]` or `rediss://`. */
  url: string;
  /** Time a Redis call may take before this replica decides alone. */
  timeoutMs: number;
  /** Prefix of the keys in Redis. */
  keyPrefix: string;
}

/** A fixed window of whole seconds: Redis expires keys by the second. */
export interface RateWindow {
  points: number;
  seconds: number;
}

export interface SharedRateLimiter {
  readonly limiter: RateLimiterAbstract;
  close(): Promise<void>;
}

/**
 * One budget per client for all replicas, counted in Redis (rate-limiter-flexible's
 * atomic INCR script). Redis never holds a request up: while it is not connected, a call
 * fails at once (no offline queue) and one that takes longer than `timeoutMs` is given up;
 * either way the in-memory insurance limiter decides with the same window, for this
 * replica alone. The client reconnects by itself (at most a second apart), and from its
 * first answer on the budget is shared again.
 */
export function sharedRateLimiter(
  window: RateWindow,
  options: SharedRateLimitOptions,
  logger: Logger,
): SharedRateLimiter {
  const where = redisAddress(options.url);
  const client = new Redis(options.url, {
    enableOfflineQueue: false,
    // A connection that drops fails the calls it carried at once, instead of resending them.
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: options.timeoutMs,
    connectTimeout: Math.max(1000, options.timeoutMs),
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
  });
  let shared = false;
  let warned = false;
  client.on('ready', () => {
    shared = true;
    warned = false;
    logger.info({ redis: where }, `rate limit shared across replicas through Redis at ${where}`);
  });
  client.on('close', () => {
    if (!shared) return;
    shared = false;
    logger.warn({ redis: where }, `Redis at ${where} is gone: each replica limits clients on its own until it is back`);
  });
  client.on('error', (error: Error) => {
    if (warned) return logger.debug({ redis: where, err: error.message }, 'Redis error');
    warned = true;
    logger.warn(
      { redis: where, err: error.message },
      `Redis at ${where}: ${error.message}; each replica limits clients on its own meanwhile`,
    );
  });
  const limiter = new RateLimiterRedis({
    storeClient: client,
    points: window.points,
    duration: window.seconds,
    keyPrefix: options.keyPrefix,
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory({ points: window.points, duration: window.seconds }),
  });
  return {
    limiter,
    close: async () => {
      client.disconnect();
    },
  };
}

/** host:port of a Redis URL, without its credentials (for logs). */
function redisAddress(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '6379'}`;
}
