import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { HistoryRecorder } from '../affordances/historyRecorder.js';
import type { AvailabilityState } from '../availability/availabilityState.js';
import type { AvailabilitySource } from '../availability/types.js';
import type { CompositionEvent, CompositionStatus } from '../composition/supergraphManager.js';
import type { ServingStatus, StateBuildEvent } from '../serving/servingGateway.js';
import type { FetchOutcome } from '../serving/subgraphDataSource.js';
import type { ServedSchemaStore } from '../serving/servedSchema.js';
import type { ConnectionRefusal } from '../platform/http/connectionLimits.js';
import { LATENCY_BUCKETS } from '../platform/metrics.js';

export interface GatewayMetricsSources {
  availability: AvailabilityState;
  sources: readonly AvailabilitySource[];
  served: ServedSchemaStore;
  /** The composition status when scraped (the manager is made after the metrics). */
  composition: () => CompositionStatus;
}

/** A source that counts restarts of its watches (the Kubernetes source). */
interface RestartCounting {
  watchRestarts(): number;
}

const countsRestarts = (source: AvailabilitySource): source is AvailabilitySource & RestartCounting =>
  'watchRestarts' in source;

/**
 * The gateway's own metrics. Gauges read the current state when scraped, so they are
 * never stale and need no event plumbing; counters and histograms are fed by hooks.
 */
export function gatewayMetrics(
  registry: Registry,
  { availability, sources, served, composition }: GatewayMetricsSources,
) {
  const fetchDuration = new Histogram({
    name: 'gateway_subgraph_fetch_duration_seconds',
    help: 'Time of each fetch from the gateway to a subgraph',
    labelNames: ['subgraph'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const fetchErrors = new Counter({
    name: 'gateway_subgraph_fetch_errors_total',
    help: 'Fetches to a subgraph that got no GraphQL answer (network error, timeout, open circuit)',
    labelNames: ['subgraph'],
    registers: [registry],
  });
  const compositions = new Counter({
    name: 'gateway_compositions_total',
    help: 'Supergraph compositions by result: composed, cached (a known set), failed',
    labelNames: ['result'],
    registers: [registry],
  });
  const compositionDuration = new Histogram({
    name: 'gateway_composition_duration_seconds',
    help: 'Time to compose a supergraph that was not cached',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const buildDuration = new Histogram({
    name: 'gateway_schema_build_duration_seconds',
    help:
      'Time to build the serving state (schemas, query planner) of a supergraph, by when ' +
      '(swap: the supergraph is wanted now; ahead: composed ahead of need) and result (ok, failed, ' +
      'superseded: stopped part way as another supergraph was wanted)',
    labelNames: ['when', 'result'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const failingBuilds = new Gauge({
    name: 'gateway_schema_build_failures',
    help: 'Consecutive failed builds of the wanted supergraph (retried with backoff); 0 once it is served',
    registers: [registry],
  });
  new Gauge({
    name: 'gateway_subgraph_available',
    help: '1 when every source says the subgraph is up, else 0',
    labelNames: ['subgraph'],
    registers: [registry],
    collect() {
      this.reset();
      for (const verdict of availability.snapshot().values())
        this.set({ subgraph: verdict.name }, verdict.available ? 1 : 0);
    },
  });
  new Gauge({
    name: 'gateway_subgraph_available_replicas',
    help: 'Available replicas of each Deployment a subgraph needs, as last seen',
    labelNames: ['subgraph', 'deployment'],
    registers: [registry],
    collect() {
      this.reset();
      for (const verdict of availability.snapshot().values()) {
        for (const check of verdict.checks) {
          if (check.replicas) this.set({ subgraph: verdict.name, deployment: check.id }, check.replicas.available);
        }
      }
    },
  });
  const versionRejections = new Counter({
    name: 'gateway_subgraph_version_rejections_total',
    help: 'New versions of a subgraph that did not compose with the rest (its last good version was kept)',
    labelNames: ['subgraph'],
    registers: [registry],
  });
  new Gauge({
    name: 'gateway_subgraph_serving_versions',
    help: 'Versions of each subgraph serving now (more than 1 during a rollout; 0 while down or unread)',
    labelNames: ['subgraph'],
    registers: [registry],
    collect() {
      this.reset();
      for (const status of composition().subgraphs.values())
        this.set({ subgraph: status.name }, status.versions.length);
    },
  });
  new Gauge({
    name: 'gateway_subgraph_version_rejected',
    help: '1 while a new version of the subgraph is rejected because it does not compose, else 0',
    labelNames: ['subgraph'],
    registers: [registry],
    collect() {
      this.reset();
      for (const status of composition().subgraphs.values())
        this.set({ subgraph: status.name }, status.rejectedVersion ? 1 : 0);
    },
  });
  new Gauge({
    name: 'gateway_schema_version',
    help: 'Number of the served schema: 1 for the first, +1 per swap',
    registers: [registry],
    collect() {
      this.set(served.get()?.generation ?? 0);
    },
  });
  new Gauge({
    name: 'gateway_kubernetes_watch_restarts',
    help: 'Restarts of Kubernetes watches after errors or silence, since start',
    registers: [registry],
    collect() {
      this.set(sources.filter(countsRestarts).reduce((sum, source) => sum + source.watchRestarts(), 0));
    },
  });
  const refusedConnections = new Counter({
    name: 'gateway_http_connections_refused_total',
    help: 'Client connections closed as they arrived, by the cap they were over (max, perClient)',
    labelNames: ['reason'],
    registers: [registry],
  });
  // Read from the history recorder when scraped (it is made after the metrics).
  let history: Pick<HistoryRecorder, 'totalsNow'> | undefined;
  // Counters fed from running totals: each scrape adds what grew since the last one.
  const fromTotals = (read: (t: { drops: number; unavailableMs: number }) => number) => {
    const reported = new Map<string, number>();
    return function (this: Counter) {
      for (const [subgraph, totals] of history?.totalsNow() ?? []) {
        const value = read(totals);
        const grown = value - (reported.get(subgraph) ?? 0);
        if (grown > 0 || !reported.has(subgraph)) this.inc({ subgraph }, Math.max(0, grown));
        reported.set(subgraph, value);
      }
    };
  };
  new Counter({
    name: 'gateway_subgraph_drops_total',
    help: 'Times a subgraph went from available to unavailable (see affordances { history })',
    labelNames: ['subgraph'],
    registers: [registry],
    collect: fromTotals((t) => t.drops),
  });
  new Counter({
    name: 'gateway_subgraph_unavailable_seconds_total',
    help: 'Time a subgraph was unavailable since the gateway started; increase() over a window gives it per window',
    labelNames: ['subgraph'],
    registers: [registry],
    collect: fromTotals((t) => t.unavailableMs / 1000),
  });
  return {
    followHistory(recorder: Pick<HistoryRecorder, 'totalsNow'>): void {
      history = recorder;
    },
    onConnectionRefused(reason: ConnectionRefusal): void {
      refusedConnections.inc({ reason });
    },
    onFetch(outcome: FetchOutcome): void {
      fetchDuration.observe({ subgraph: outcome.subgraph }, outcome.durationMs / 1000);
      if (outcome.failure) fetchErrors.inc({ subgraph: outcome.subgraph });
    },
    onComposition(event: CompositionEvent): void {
      compositions.inc({ result: event.cached ? 'cached' : event.ok ? 'composed' : 'failed' });
      if (!event.cached) compositionDuration.observe(event.durationMs / 1000);
    },
    onVersionRejected(subgraph: string): void {
      versionRejections.inc({ subgraph });
    },
    onServingStatus(status: ServingStatus): void {
      failingBuilds.set(status.phase === 'retrying' ? status.attempt : 0);
    },
    onStateBuild(event: StateBuildEvent): void {
      buildDuration.observe({ when: event.when, result: event.result }, event.durationMs / 1000);
    },
  };
}
