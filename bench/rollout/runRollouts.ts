import type { ServingEndpoint } from '../../src/availability/types.js';
import { validateConfig } from '../../src/config/load.js';
import { startGateway, type RunningGateway } from '../../src/gateway/startGateway.js';
import { silentLogger } from '../../src/platform/logger.js';
import { StaticSource } from '../../src/sources/staticSource.js';
import { startCustomersSubgraph } from '../../subgraphs/customers/server.js';
import type { SubgraphServer } from '../../subgraphs/shared/serveSubgraph.js';
import { median, percentile } from '../stats.js';

/** Reaction to the steps of rolling updates, from the cluster's signal to the schema served. */
export interface RolloutResult {
  readonly replicas: number;
  readonly rollouts: number;
  /** A new version starts serving beside the old: the common schema served, ms. */
  readonly mixed: { readonly p50: number; readonly p99: number; readonly max: number };
  /** The rollout completes: the new version served whole, ms. */
  readonly complete: { readonly p50: number; readonly p99: number; readonly max: number };
  /**
   * The first rollout each way (v1 → v2, then v2 → v1), ms per step: every supergraph new to
   * the gateway, as a rollout to a version never seen is. The later ones return to supergraphs
   * it has built (kept states), as a rollback to a known version does.
   */
  readonly cold: { readonly mixed: readonly number[]; readonly complete: readonly number[] };
}

export interface RolloutOptions {
  /** Rolling updates timed (each way between version 1 and 2, alternately). */
  rollouts: number;
  replicas: number;
  log: (line: string) => void;
}

/**
 * Times what a rolling update costs the gateway: the real customers subgraph runs as
 * `replicas` pods of each version, each on a loopback address of its own, and the gateway
 * is told of each step as the Kubernetes source tells it (ready endpoints and the rollout
 * state; here through a StaticSource, so the time is the gateway's, not an API server's).
 * A rollout surges one new pod (both versions serve: the common schema), then replaces
 * the old pods (the new version whole). Each new pod has a new name, so its SDL is read,
 * as in a cluster. Runs in the benchmark's own process.
 */
export async function runRollouts(options: RolloutOptions): Promise<RolloutResult> {
  const { replicas } = options;
  const pods: SubgraphServer[][] = [[], []];
  for (const version of [1, 2] as const) {
    for (let i = 0; i < replicas; i++) {
      const host = `127.0.${version}.${i + 10}`;
      pods[version - 1]!.push(
        await startCustomersSubgraph({ host, port: 0, logger: silentLogger, schemaVersion: version }),
      );
    }
  }
  const source = new StaticSource();
  let step = 0;
  const set = (endpoints: ServingEndpoint[], inProgress: boolean) => {
    const rollout = { revision: String(++step), inProgress, detail: `step ${step}` };
    source.set('customers', true, `${endpoints.length} ready endpoints`, { endpoints, rollout });
  };
  const endpoint = (version: 0 | 1, i: number, generation: number): ServingEndpoint => ({
    id: `customers-${generation}-${i}`,
    url: `${pods[version]![i]!.url}/graphql`,
  });
  set(
    Array.from({ length: replicas }, (_, i) => endpoint(0, i, 0)),
    false,
  );
  const config = validateConfig({
    server: { port: 0 },
    limits: { rateLimit: false },
    availability: { settleMs: 0 },
    composition: { sdlRefreshMs: 3_600_000 },
    subgraphs: { customers: { url: `${pods[0]![0]!.url}/graphql`, probe: false } },
  });
  const gateway = await startGateway({ config, logger: silentLogger, sources: [source] });
  const mixed: number[] = [];
  const complete: number[] = [];
  try {
    for (let rollout = 1; rollout <= options.rollouts; rollout++) {
      const from = ((rollout - 1) % 2) as 0 | 1;
      const to = (1 - from) as 0 | 1;
      const old = Array.from({ length: replicas }, (_, i) => endpoint(from, i, rollout - 1));
      const surge = endpoint(to, 0, rollout);
      mixed.push(await timed(gateway, () => set([...old, surge], true), 2));
      const fresh = Array.from({ length: replicas }, (_, i) => endpoint(to, i, rollout));
      complete.push(await timed(gateway, () => set(fresh, false), 1));
    }
  } finally {
    await gateway.close();
    await Promise.all(pods.flat().map((p) => p.close()));
  }
  const summary = (values: number[]) => ({
    p50: median(values),
    p99: percentile(values, 0.99),
    max: Math.max(...values),
  });
  const result = {
    replicas,
    rollouts: options.rollouts,
    mixed: summary(mixed),
    complete: summary(complete),
    cold: { mixed: mixed.slice(0, 2), complete: complete.slice(0, 2) },
  };
  options.log(
    `rollout: ${replicas} replicas, ${options.rollouts} rollouts: both versions served p50 ${result.mixed.p50.toFixed(0)} ms ` +
      `p99 ${result.mixed.p99.toFixed(0)} ms; new version whole p50 ${result.complete.p50.toFixed(0)} ms ` +
      `p99 ${result.complete.p99.toFixed(0)} ms; first rollouts ${mixed.slice(0, 2).map((t) => t.toFixed(0))} / ` +
      `${complete.slice(0, 2).map((t) => t.toFixed(0))} ms`,
  );
  return result;
}

/**
 * Milliseconds from `change` until the gateway serves what composition wants with
 * `versions` versions of customers: waits on the gateway's own notifications.
 */
function timed(gateway: RunningGateway, change: () => void, versions: number): Promise<number> {
  return new Promise((resolve) => {
    const started = performance.now();
    const check = () => {
      const status = gateway.manager.status().subgraphs.get('customers');
      if (status?.versions.length !== versions) return;
      if (gateway.served.get()?.supergraphSdl !== gateway.manager.wanted()) return;
      stop.forEach((fn) => fn());
      resolve(performance.now() - started);
    };
    const stop = [gateway.manager.subscribe(check), gateway.served.subscribe(check)];
    change();
  });
}
