import { startLoadGenerator } from '../load/loadGenerator.js';
import type { LoadResult, LoadSpec } from '../load/loadSpec.js';
import { peakRss } from '../processes.js';
import { median } from '../stats.js';
import type { Contender, ContenderId, Subgraphs } from './contenders.js';
import { cpuSeconds } from './cpuSeconds.js';
import type { DataSet } from './dataSet.js';
import { graphqlRequestsServed } from './graphqlRequestsServed.js';
import { SCENARIOS, type Scenario } from './scenarios.js';

export interface ThroughputOptions {
  rounds: number;
  connections: number;
  warmupSeconds: number;
  /** Measured seconds of each run of a varied workload. */
  seconds: number;
  /** Measured seconds of each run of a hot-key view. */
  hotKeySeconds: number;
  /** Rounds of the hot-key views: the last ones of `rounds` (a view, not what the targets read). */
  hotKeyRounds: number;
  /** Ids of the scenarios to run (default all). */
  scenarios?: readonly string[];
  log: (line: string) => void;
}

/** One measured run, with what the processes spent on it. */
export interface ThroughputRun extends LoadResult {
  /** Highest RSS of the gateway process over the warm-up and the run, bytes. */
  peakRss?: number;
  /** CPU time of the gateway (for `direct`, of the subgraph called) per request, µs. */
  cpuUs?: number;
  /** CPU time of the demo subgraphs and the gRPC service together per request, µs. */
  subgraphCpuUs?: number;
  /** GraphQL requests the subgraphs answered per request. */
  fetches?: number;
}

/** One contender on one scenario, over every round. */
export interface ThroughputCell {
  scenario: Scenario['id'];
  contender: ContenderId;
  title: string;
  runs: ThroughputRun[];
  /** Medians over the rounds (errors: the sum). */
  rps: number;
  p50: number;
  p99: number;
  cpuUs?: number;
  subgraphCpuUs?: number;
  fetches?: number;
  errors: number;
  /** Highest RSS of the gateway process in any run, bytes. */
  peakRss?: number;
  sampleError?: string;
}

/** What the processes had spent when a run started or ended. */
interface Counters {
  contenderCpu: number;
  subgraphCpu: number;
  fetches: number;
}

/**
 * The counters once the subgraphs have stopped answering: requests still in flight when a
 * run ends (the load generator stops waiting for them) are finished first, so their
 * fetches and CPU count with the run that sent them. Polls every 50 ms, at most 3 s.
 */
async function settledCounters(contenderPid: number, subgraphs: Subgraphs): Promise<Counters> {
  const served = async () =>
    (await Promise.all([subgraphs.customers, subgraphs.invoices].map(graphqlRequestsServed))).reduce(
      (a, b) => a + b,
      0,
    );
  const deadline = Date.now() + 3000;
  let fetches = await served();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const now = await served();
    if (now === fetches || Date.now() > deadline) break;
    fetches = now;
  }
  return {
    contenderCpu: cpuSeconds(contenderPid),
    subgraphCpu: subgraphs.processes.reduce((sum, p) => sum + cpuSeconds(p.pid), 0),
    fetches,
  };
}

const medianOf = (values: readonly (number | undefined)[]) => {
  const known = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  return known.length ? median(known) : undefined;
};

/**
 * Runs every scenario against every contender, round after round. Contenders take turns
 * (their order rotates each round) so a noisy moment of the shared machine hits them all
 * alike, and all of them get the same requests in a round (the same seed); each cell
 * reports the median of its rounds. CPU time and subgraph fetches are read just before
 * and after the measured part of each run (the warm-up is a run of its own), each time once
 * the requests in flight have been answered.
 */
export async function runThroughput(
  contenders: readonly Contender[],
  subgraphs: Subgraphs,
  data: DataSet,
  options: ThroughputOptions,
): Promise<ThroughputCell[]> {
  const cells = new Map<string, ThroughputCell>();
  const load = startLoadGenerator();
  const scenarios = SCENARIOS.filter((s) => !options.scenarios || options.scenarios.includes(s.id));
  for (let round = 0; round < options.rounds; round++) {
    for (const [index, scenario] of scenarios.entries()) {
      if (scenario.hotKey && round < options.rounds - options.hotKeyRounds) continue;
      const eligible = contenders.filter((c) => c.id !== 'direct' || scenario.direct);
      const order = eligible.map((_, i) => eligible[(i + round) % eligible.length]!);
      const requests = scenario.requests(data.workload, 1000 * (round + 1) + index);
      const seconds = scenario.hotKey ? options.hotKeySeconds : options.seconds;
      for (const contender of order) {
        const spec: LoadSpec = {
          url: contender.url(scenario.direct),
          requests,
          connections: options.connections,
          warmupSeconds: 0,
          seconds,
        };
        // For the direct call, the CPU that counts is the subgraph's own: the floor.
        const pid =
          contender.process?.pid ?? subgraphs.processes.find((p) => p.name === (scenario.direct ?? 'customers'))!.pid;
        const peak = contender.process && peakRss(contender.process.pid);
        if (options.warmupSeconds > 0) await load.run({ ...spec, seconds: options.warmupSeconds });
        const before = await settledCounters(pid, subgraphs);
        const result = await load.run(spec);
        const after = await settledCounters(pid, subgraphs);
        // Per request sent: those cut off at the end were still answered (settledCounters).
        const perRequest = (a: number, b: number) => (result.sent ? (b - a) / result.sent : undefined);
        const run: ThroughputRun = {
          ...result,
          peakRss: peak?.stop(),
          cpuUs: (perRequest(before.contenderCpu, after.contenderCpu) ?? NaN) * 1e6,
          subgraphCpuUs: (perRequest(before.subgraphCpu, after.subgraphCpu) ?? NaN) * 1e6,
          fetches: perRequest(before.fetches, after.fetches),
        };
        const key = `${scenario.id}/${contender.id}`;
        const cell = cells.get(key) ?? {
          scenario: scenario.id,
          contender: contender.id,
          title: contender.title,
          runs: [],
          rps: 0,
          p50: 0,
          p99: 0,
          errors: 0,
        };
        cell.runs.push(run);
        cells.set(key, cell);
        options.log(
          `round ${round + 1}/${options.rounds} ${scenario.id.padEnd(12)} ${contender.id.padEnd(10)} ` +
            `${result.rps.toFixed(0).padStart(6)} req/s  p50 ${result.p50.toFixed(2)} ms  p99 ${result.p99.toFixed(2)} ms` +
            `  cpu ${run.cpuUs?.toFixed(0)} µs/req  fetches ${run.fetches?.toFixed(2)}/req` +
            `${result.errors ? `  errors ${result.errors}` : ''}${run.peakRss ? `  rss ${(run.peakRss / 2 ** 20).toFixed(0)} MB` : ''}`,
        );
      }
    }
  }
  await load.stop();
  for (const cell of cells.values()) {
    cell.rps = median(cell.runs.map((r) => r.rps));
    cell.p50 = median(cell.runs.map((r) => r.p50));
    cell.p99 = median(cell.runs.map((r) => r.p99));
    cell.cpuUs = medianOf(cell.runs.map((r) => r.cpuUs));
    cell.subgraphCpuUs = medianOf(cell.runs.map((r) => r.subgraphCpuUs));
    cell.fetches = medianOf(cell.runs.map((r) => r.fetches));
    cell.errors = cell.runs.reduce((sum, r) => sum + r.errors, 0);
    const peaks = cell.runs.flatMap((r) => (r.peakRss ? [r.peakRss] : []));
    cell.peakRss = peaks.length ? Math.max(...peaks) : undefined;
    cell.sampleError = cell.runs.find((r) => r.sampleError)?.sampleError;
  }
  return [...cells.values()];
}
