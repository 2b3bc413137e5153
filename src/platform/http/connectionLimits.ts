import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { CountsByKey } from '../countsByKey.js';

/** Bounds on a server's client connections (config `server.connections`). */
export interface ConnectionLimits {
  /** Open connections at once; more are closed as they arrive. */
  readonly max: number;
  /** Open connections from one client address; more are closed as they arrive. */
  readonly perClient: number;
  /** Time a client has to send the request headers; then 408 and the connection closes. */
  readonly headersTimeoutMs: number;
  /** Time a client has to send the whole request, body included; then 408. */
  readonly requestTimeoutMs: number;
  /** Time an idle keep-alive connection is kept after a response. */
  readonly keepAliveTimeoutMs: number;
}

/** Why a connection was closed as it arrived. */
export type ConnectionRefusal = 'max' | 'perClient';

/**
 * Applies `limits` to a server before it listens. The total is Node's own
 * `maxConnections` (a connection over it is closed at once); the cap per client address
 * is counted here, by address, and closes the newest connection the same way. The
 * timeouts are Node's, checked every quarter of the shortest one (Node checks every
 * 30 s by default, which would let a connection outlive its timeout by that much).
 */
export function applyConnectionLimits(
  server: Server,
  limits: ConnectionLimits,
  onRefused: (reason: ConnectionRefusal) => void,
): void {
  server.maxConnections = limits.max;
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.on('drop', () => onRefused('max'));
  const perAddress = new CountsByKey();
  // Before the HTTP parser's listener: a refused socket is destroyed before it reads a byte.
  server.prependListener('connection', (socket: Socket) => {
    const release = perAddress.acquire(socket.remoteAddress ?? 'unknown', limits.perClient);
    if (!release) {
      socket.destroy();
      onRefused('perClient');
      return;
    }
    socket.once('close', release);
  });
}

/** How often Node should look for connections past their header or request timeout. */
export const checkIntervalMs = (limits: ConnectionLimits): number =>
  Math.max(25, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4));
