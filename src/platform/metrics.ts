import type { ApolloServerPlugin } from '@apollo/server';
import type { OperationDefinitionNode } from 'graphql';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { RequestHandler } from './http/graphqlHandler.js';
import type { ReceivedAt } from './requestContext.js';

/** Latency buckets in seconds, from a cached local hit to a slow cross-subgraph call. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * A registry per component (several share one process in tests), with Node's process
 * metrics; every series labelled with the component and `labels` (a gateway worker's).
 */
export function createRegistry(component: string, labels: Record<string, string> = {}): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ ...labels, component });
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
 * document, is whatever the client typed, and counts as "invalid". Requests reach it
 * through Apollo Server (`plugin()`) or answered without it (`succeeded`, the gateway's
 * serving fast path): one set of series either way.
 */
export class GraphQLRequestMetrics {
  private readonly operations: BoundedLabels;
  private readonly outcomes = new BoundedLabels(MAX_OUTCOMES, 64);
  private readonly requests: Counter;
  private readonly duration: Histogram;

  constructor(registry: Registry, options: OperationLabelOptions = {}) {
    this.operations = new BoundedLabels(options.maxOperations ?? 100, options.maxOperationNameLength ?? 64);
    this.requests = new Counter({
      name: 'graphql_requests_total',
      help: 'GraphQL requests by operation name and outcome (success, or the first error code in lower case)',
      labelNames: ['operation', 'outcome'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'graphql_request_duration_seconds',
      help: 'Time from request start to response, by operation name',
      labelNames: ['operation'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
  }

  /** The label of a resolved operation of a validated document. */
  operationLabel(operation: OperationDefinitionNode): string {
    return operation.name ? this.operations.label(operation.name.value) : ANONYMOUS;
  }

  /** Counts a request answered without errors, received at `receivedAt` (performance.now()). */
  succeeded(operationLabel: string, receivedAt: number): void {
    this.observe(operationLabel, 'success', receivedAt);
  }

  /** The Apollo Server plugin that counts every request it answers. */
  plugin(): ApolloServerPlugin {
    return {
      requestDidStart: async ({ contextValue }) => {
        // From when the request arrived (the HTTP handler's clock), else from now.
        const receivedAt = (contextValue as Partial<ReceivedAt>).receivedAt ?? performance.now();
        let operation = INVALID;
        return {
          // Called only once the document validated and the operation was found in it.
          didResolveOperation: async ({ operation: resolved }) => {
            if (resolved) operation = this.operationLabel(resolved);
          },
          willSendResponse: async ({ response }) => {
            const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
            this.observe(operation, outcomeOf(errors.map((e) => e.extensions?.code as string | undefined)), receivedAt);
          },
        };
      },
    };
  }

  private observe(operation: string, outcome: string, receivedAt: number): void {
    this.requests.inc({ operation, outcome: this.outcomes.label(outcome) });
    this.duration.observe({ operation }, (performance.now() - receivedAt) / 1000);
  }
}

/** The GraphQLRequestMetrics plugin alone (the subgraphs). */
export function graphqlMetricsPlugin(registry: Registry, options: OperationLabelOptions = {}): ApolloServerPlugin {
  return new GraphQLRequestMetrics(registry, options).plugin();
}
