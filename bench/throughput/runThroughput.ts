import { startLoadGenerator } from '../load/loadGenerator.js';
import type { LoadResult, LoadSpec } from '../load/loadSpec.js';
import { peakRss } from '../processes.js';
import { median } from '../stats.js';
import { post, type Contender, type ContenderId } from './contenders.js';
import { SCENARIOS, type Scenario } from './scenarios.js';

export interface ThroughputOptions {
  rounds: number;
  connections: number;
  warmupSeconds: number;
  seconds: number;
  /** Ids of the scenarios to run (default all). */
  scenarios?: readonly string[];
  log: (line: string) => void;
}

/** One contender on one scenario, over every round. */
export interface ThroughputCell {
  scenario: Scenario['id'];
  contender: ContenderId;
  title: string;
  runs: (LoadResult & { peakRss?: number })[];
  /** Medians over the rounds (errors: the sum). */
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Highest RSS of the gateway process in any run, bytes. */
  peakRss?: number;
  sampleError?: string;
}

/**
 * Checks that every gateway gives the direct call's answer (queries) or the same shape
 * (the mutation), so no contender is fast because it answers something else.
 */
export async function checkAnswers(contenders: readonly Contender[]): Promise<void> {
  for (const scenario of SCENARIOS) {
    const answers = await Promise.all(
      contenders
        .filter((c) => c.id !== 'direct' || scenario.direct)
        .map(async (c) => [c.id, JSON.parse(await post(c.url(scenario.direct), scenario.body)) as unknown] as const),
    );
    const shape = (value: unknown) =>
      JSON.stringify(value, (key, v: unknown) => (key === 'id' && typeof v === 'string' ? 'ID' : v));
    const [first, ...rest] = answers;
    for (const [id, answer] of rest) {
      if (shape(answer) !== shape(first![1])) {
        throw new Error(
          `${id} answers ${scenario.id} differently: ${JSON.stringify(answer)} vs ${JSON.stringify(first![1])}`,
        );
      }
    }
  }
}

/**
 * Runs every scenario against every contender, round after round. Contenders take turns
 * (their order rotates each round) so a noisy moment of the shared machine hits them all
 * alike; each cell reports the median of its rounds.
 */
export async function runThroughput(
  contenders: readonly Contender[],
  options: ThroughputOptions,
): Promise<ThroughputCell[]> {
  const cells = new Map<string, ThroughputCell>();
  const load = startLoadGenerator();
  for (let round = 0; round < options.rounds; round++) {
    for (const scenario of SCENARIOS.filter((s) => !options.scenarios || options.scenarios.includes(s.id))) {
      const eligible = contenders.filter((c) => c.id !== 'direct' || scenario.direct);
      const order = eligible.map((_, i) => eligible[(i + round) % eligible.length]!);
      for (const contender of order) {
        const spec: LoadSpec = {
          url: contender.url(scenario.direct),
          body: scenario.body,
          connections: options.connections,
          warmupSeconds: options.warmupSeconds,
          seconds: options.seconds,
        };
        const peak = contender.process && peakRss(contender.process.pid);
        const result = { ...(await load.run(spec)), peakRss: peak?.stop() };
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
        cell.runs.push(result);
        cells.set(key, cell);
        options.log(
          `round ${round + 1}/${options.rounds} ${scenario.id.padEnd(8)} ${contender.id.padEnd(10)} ` +
            `${result.rps.toFixed(0).padStart(6)} req/s  p50 ${result.p50.toFixed(2)} ms  p99 ${result.p99.toFixed(2)} ms` +
            `${result.errors ? `  errors ${result.errors}` : ''}${result.peakRss ? `  rss ${(result.peakRss / 2 ** 20).toFixed(0)} MB` : ''}`,
        );
      }
    }
  }
  await load.stop();
  for (const cell of cells.values()) {
    cell.rps = median(cell.runs.map((r) => r.rps));
    cell.p50 = median(cell.runs.map((r) => r.p50));
    cell.p99 = median(cell.runs.map((r) => r.p99));
    cell.errors = cell.runs.reduce((sum, r) => sum + r.errors, 0);
    const peaks = cell.runs.flatMap((r) => (r.peakRss ? [r.peakRss] : []));
    cell.peakRss = peaks.length ? Math.max(...peaks) : undefined;
    cell.sampleError = cell.runs.find((r) => r.sampleError)?.sampleError;
  }
  return [...cells.values()];
}
