import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type DocumentNode } from 'graphql';
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

/**
 * Bounds the operation-name label: the first `max` distinct names keep their own series,
 * later ones count as "other", so clients cannot grow the metric without limit.
 */
export class OperationLabels {
  private readonly known = new Set<string>();

  constructor(private readonly max = 100) {}

  label(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (this.known.has(name)) return name;
    if (this.known.size >= this.max) return 'other';
    this.known.add(name);
    return name;
  }
}

/** Outcome label of one GraphQL request, from its errors' codes. */
export function outcomeOf(codes: readonly (string | undefined)[]): string {
  if (codes.length === 0) return 'success';
  const first = codes[0] ?? 'UNKNOWN';
  return first.toLowerCase();
}

function soleOperationName(document: DocumentNode | undefined): string | undefined {
  const operations = document?.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION) ?? [];
  return operations.length === 1 && operations[0]!.kind === Kind.OPERATION_DEFINITION
    ? operations[0]!.name?.value
    : undefined;
}

/** Counts GraphQL requests by operation name and outcome and times them. */
export function graphqlMetricsPlugin(registry: Registry, maxOperations = 100): ApolloServerPlugin {
  const labels = new OperationLabels(maxOperations);
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
      return {
        async willSendResponse({ response, operationName, request, document }) {
          // A request that failed validation has no resolved name; use the one it asked for or wrote.
          const operation = labels.label(operationName ?? request.operationName ?? soleOperationName(document));
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          requests.inc({ operation, outcome: outcomeOf(errors.map((e) => e.extensions?.code as string | undefined)) });
          duration.observe({ operation }, (performance.now() - started) / 1000);
        },
      };
    },
  };
}
