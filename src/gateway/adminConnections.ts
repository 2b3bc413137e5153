import type { ConnectionLimits } from '../platform/http/connectionLimits.js';

/**
 * The admin listener's budget: probes and scrapes need few connections, and a client
 * flood on the public port cannot use these.
 */
export const ADMIN_CONNECTIONS: ConnectionLimits = {
  max: 64,
  perClient: 16,
  headersTimeoutMs: 5000,
  requestTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5000,
};
