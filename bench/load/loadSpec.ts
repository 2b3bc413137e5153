import type { LoadRequests } from './workloads.js';

/** What the load generator process is told to do. */
export interface LoadSpec {
  url: string;
  /** The GraphQL POST bodies: one for every request, or drawn afresh for each. */
  requests: LoadRequests;
  connections: number;
  /** Load sent before measuring and not counted: connections open, JITs warm. */
  warmupSeconds: number;
  seconds: number;
}

/** What one measured run came to. */
export interface LoadResult {
  /** Requests answered. */
  requests: number;
  /** Requests sent, those still unanswered when the run ended included. */
  sent: number;
  seconds: number;
  rps: number;
  /** Latency in milliseconds. */
  p50: number;
  p99: number;
  /** Connection errors, timeouts, non-2xx responses and responses with GraphQL errors. */
  errors: number;
  /** The first error body seen, to tell what went wrong. */
  sampleError?: string;
}
