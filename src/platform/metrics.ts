import type { ApolloServerPlugin } from '@apollo/server';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { RequestHandler } from './http/graphqlHandler.js';

/** Latency buckets in seconds, from a cached local hit to a slow cross-subgraph call. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A registry per component (several share one process in tests), with Node's process metrics. */
export function createRegistry(component: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ component });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** Serves a registry at /metrics in the Prometheus text format. */
export function metricsHandler(registry: Registry): RequestHandler {
  return async (_req, res) => {
    res.setHeader('content-type', registry.contentType);
    res.end(await registry.metrics());
  };
}

/** Label of a request with no operation name. */
export const ANONYMOUS = 'anonymous';
/** Label of the names past the bounds. */
export const OTHER = 'other';
/** Label of a request that named no operation of a validated document (parse or validation failed, no such operation). */
export const INVALID = 'invalid';

/**
 * Bounds a label that clients choose: the first `max` distinct values of at most
 * `maxLength` characters keep their own series, anything else counts as "other", so
 * clients cannot grow the metric without limit.
 */
export class BoundedLabels {
  private readonly known = new Set<string>();

  constructor(
    private readonly max = 100,
    private readonly maxLength = 64,
  ) {}

  label(value: string): string {
    if (this.known.has(value)) return value;
    if (this.known.size >= this.max || value.length > this.maxLength) return OTHER;
    this.known.add(value);
    return value;
  }
}

/** Bounds on the `operation` label of the GraphQL metrics (config `server.metrics`). */
export interface OperationLabelOptions {
  /** Distinct operation names with their own series; later ones count as "other". Default 100. */
  maxOperations?: number;
  /** Longest operation name with its own series; longer ones count as "other". Default 64. */
  maxOperationNameLength?: number;
}

/** Error codes are upper-case words: anything else (a backend's odd code) counts as "other". */
const ERROR_CODE = /^[A-Z][A-Z0-9_]*$/;
/** Distinct outcomes kept: every code of this project and Apollo's fits many times over. */
const MAX_OUTCOMES = 30;

/** Outcome label of one GraphQL request, from its errors' codes. */
export function outcomeOf(codes: readonly (string | undefined)[]): string {
  if (codes.length === 0) return 'success';
  const first = codes[0] ?? 'UNKNOWN';
  return ERROR_CODE.test(first) ? first.toLowerCase() : OTHER;
}

/**
 * Counts GraphQL requests by operation name and outcome and times them. Only an
 * operation that resolved in a validated document gives its name to the label: the name
 * of a request that failed to parse or validate, or that names no operation of its
 * document, is whatever the client typed, and counts as "invalid".
 */
export function graphqlMetricsPlugin(registry: Registry, options: OperationLabelOptions = {}): ApolloServerPlugin {
  const operations = new BoundedLabels(options.maxOperations ?? 100, options.maxOperationNameLength ?? 64);
  const outcomes = new BoundedLabels(MAX_OUTCOMES, 64);
  const requests = new Counter({
    name: 'graphql_requests_total',
    help: 'GraphQL requests by operation name and outcome (success, or the first error code in lower case)',
    labelNames: ['operation', 'outcome'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'Time from request start to response, by operation name',
    labelNames: ['operation'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  return {
    async requestDidStart() {
      const started = performance.now();
      let operation = INVALID;
      return {
        // Called only once the document validated and the operation was found in it.
        async didResolveOperation({ operation: resolved }) {
          if (resolved) operation = resolved.name ? operations.label(resolved.name.value) : ANONYMOUS;
        },
        async willSendResponse({ response }) {
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          const outcome = outcomes.label(outcomeOf(errors.map((e) => e.extensions?.code as string | undefined)));
          requests.inc({ operation, outcome });
          duration.observe({ operation }, (performance.now() - started) / 1000);
        },
      };
    },
  };
}
