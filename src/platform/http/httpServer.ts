import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { truncate } from '../echo.js';
import type { Logger } from '../logger.js';
import {
  applyConnectionLimits,
  checkIntervalMs,
  type ConnectionLimits,
  type ConnectionRefusal,
} from './connectionLimits.js';
import { sendError, type RequestHandler } from './graphqlHandler.js';

export interface HttpServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Exact paths to handlers; anything else is a 404 with a GraphQL-shaped body. */
  routes: Record<string, RequestHandler>;
  /** Readiness beyond "listening and not closing", e.g. "a schema is loaded". Default: always. */
  ready?: () => boolean;
  logger: Logger;
  /**
   * Caps and timeouts for client connections. Default: no caps, Node's timeouts and a
   * 65 s keep-alive (for servers behind the gateway: its pooled sockets should outlive
   * their idle timeout, not race it).
   */
  connections?: ConnectionLimits;
  /** Told of every connection closed as it arrived, over a cap. */
  onConnectionRefused?: (reason: ConnectionRefusal) => void;
}

export interface RunningHttpServer {
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  /**
   * Turns not-ready, stops accepting connections, lets in-flight requests finish (their
   * keep-alive connections then close), and cuts whatever is left after `graceMs`.
   */
  close(graceMs?: number): Promise<void>;
}

/**
 * Starts an HTTP server with a small exact-path router and resolves once it listens.
 * Every server also answers /healthz (the process serves) and /readyz (it should get
 * traffic: `ready()` holds and it is not closing).
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const { logger } = options;
  let closing = false;
  const inFlight = new Set<ServerResponse>();
  const routes: Record<string, RequestHandler> = {
    ...options.routes,
    '/healthz': async (_req, res) => sendText(res, 200, 'ok'),
    '/readyz': async (_req, res) => {
      const ready = !closing && (options.ready?.() ?? true);
      sendText(res, ready ? 200 : 503, ready ? 'ready' : closing ? 'shutting down' : 'not ready');
    },
  };
  const server = createServer(
    { connectionsCheckingInterval: options.connections && checkIntervalMs(options.connections) },
    (req, res) => {
      // While closing, tell keep-alive clients to reconnect elsewhere, and close each
      // connection as its last response finishes.
      if (closing) res.setHeader('connection', 'close');
      inFlight.add(res);
      res.on('finish', () => {
        inFlight.delete(res);
        if (closing) server.closeIdleConnections();
      });
      const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
      const handler = routes[path];
      if (!handler) {
        sendError(
          res,
          404,
          `no route for ${truncate(path)}; GraphQL is served at ${Object.keys(routes)[0] ?? '/graphql'}`,
          'NOT_FOUND',
        );
        return;
      }
      handler(req, res).catch((error: unknown) => {
        // A client that went away mid-request is routine, not a failure of the server.
        if (req.destroyed && !req.complete) {
          logger.debug({ path, reason: (error as Error).message }, 'client closed the connection mid-request');
          return;
        }
        logger.error({ err: error, path }, 'request handler failed');
        if (!res.headersSent) sendError(res, 500, 'internal error; see the server log', 'INTERNAL_SERVER_ERROR');
        else res.end();
      });
    },
  );
  if (options.connections) {
    const refusals = refusalLog(logger, options.connections);
    applyConnectionLimits(server, options.connections, (reason) => {
      refusals(reason);
      options.onConnectionRefused?.(reason);
    });
  } else {
    server.keepAliveTimeout = 65_000;
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const connectHost = host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host;
  return {
    url: `http://${connectHost}:${port}`,
    port,
    server,
    close: (graceMs = 10_000) =>
      new Promise<void>((resolve) => {
        closing = true;
        for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
        const cut = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearTimeout(cut);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.end(text);
}

/** Logs connections closed over a cap, once a minute per cap: a flood must not flood the log too. */
function refusalLog(logger: Logger, limits: ConnectionLimits): (reason: ConnectionRefusal) => void {
  const last = new Map<ConnectionRefusal, number>();
  return (reason) => {
    const now = Date.now();
    if (now - (last.get(reason) ?? -Infinity) < 60_000) return;
    last.set(reason, now);
    const limit =
      reason === 'max'
        ? `server.connections.max = ${limits.max}`
        : `server.connections.perClient = ${limits.perClient} from one address`;
    logger.warn({ reason }, `connection limit reached (${limit}); closing new connections (logged once a minute)`);
  };
}
