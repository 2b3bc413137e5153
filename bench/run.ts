/**
 * `npm run bench`: throughput against the demo subgraphs over a data set seeded at start,
 * with varied arguments and as a hot-key view (this gateway, stock Apollo Gateway, Hive
 * Gateway, and the subgraphs called directly), reaction time to
 * availability changes, and scaling with synthetic subgraphs; writes BENCHMARKS.md and
 * its charts. Every process it starts stops with it; the whole run is bounded.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gatewayNodeOptions } from './gatewayNodeOptions.js';
import { killAll, ROOT } from './processes.js';
import { runReactions, type ReactionOptions } from './reaction/runReactions.js';
import { runRollouts } from './rollout/runRollouts.js';
import { composeDemoSupergraph, startContenders, startSubgraphs } from './throughput/contenders.js';
import { checkAnswers } from './throughput/checkAnswers.js';
import { DATA_SET, seedDataSet } from './throughput/dataSet.js';
import { runThroughput } from './throughput/runThroughput.js';
import { SCENARIOS } from './throughput/scenarios.js';
import { machine, versions } from './report/environment.js';
import { writeReport, type ReportInput } from './report/writeReport.js';
import { runReductions } from './reduction/runReductions.js';
import { runWorkers } from './workers/runWorkers.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '3' },
    // The hot-key view runs in the last rounds only (1 by default), to keep the bench under 6 minutes.
    'hot-seconds': { type: 'string', default: '2' },
    'hot-rounds': { type: 'string', default: '1' },
    warmup: { type: 'string', default: '1' },
    connections: { type: 'string', default: '32' },
    transitions: { type: 'string', default: '100' },
    sizes: { type: 'string', default: '2,10,50,100' },
    // The multi-worker comparison (server.workers): CPU limits in cores, its workloads, rounds, seconds and workers.
    'worker-limits': { type: 'string', default: '1,2' },
    'worker-scenarios': { type: 'string', default: 'mix' },
    'worker-rounds': { type: 'string', default: '2' },
    'worker-seconds': { type: 'string', default: '2' },
    workers: { type: 'string', default: '2' },
    only: { type: 'string' },
    compare: { type: 'string' },
    contenders: { type: 'string' },
    scenarios: { type: 'string' },
    out: { type: 'string', default: 'BENCHMARKS.md' },
    // Writes the report again from a run's raw results (after editing bench/CHANGES.md).
    from: { type: 'string' },
  },
});

const HARD_LIMIT_MS = 9 * 60_000;
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

async function main(): Promise<void> {
  if (values.from) {
    const saved = JSON.parse(readFileSync(values.from, 'utf8')) as ReportInput;
    saved.measuredAt ??= new Date(statSync(values.from).mtimeMs - saved.elapsedMs).toISOString();
    log(`wrote ${writeReport({ ...saved, out: values.out })} from ${values.from}`);
    return;
  }
  const started = Date.now();
  const only = values.only?.split(',');
  const throughputOptions = {
    rounds: Number(values.rounds),
    seconds: Number(values.seconds),
    hotKeySeconds: Number(values['hot-seconds']),
    hotKeyRounds: Math.min(Number(values['hot-rounds']), Number(values.rounds)),
    warmupSeconds: Number(values.warmup),
    connections: Number(values.connections),
    log,
  };
  log('starting the demo subgraphs');
  const subgraphs = await startSubgraphs();
  let throughput;
  let dataSet: ReportInput['dataSet'];
  let workers;
  const seedData = async () => {
    log('seeding the data set through the subgraphs');
    const seeded = await seedDataSet(subgraphs, DATA_SET);
    dataSet = {
      customers: seeded.customers.length,
      invoices: seeded.customers.reduce((sum, c) => sum + c.invoices.length, 0),
      maxInvoices: DATA_SET.maxInvoices,
      maxPage: seeded.workload.maxPage,
    };
    return seeded;
  };
  const wants = (part: string) => !only || only.includes(part);
  // Seeded once, for both parts that load the gateways with it.
  const data = wants('throughput') || wants('workers') ? await seedData() : undefined;
  if (data && wants('throughput')) {
    const supergraph = await composeDemoSupergraph(subgraphs);
    log('starting the gateways');
    // Other builds of this gateway, as `label=path/to/dist/src/cli/main.js,…` (before/after a change).
    const others = (values.compare?.split(',') ?? []).map((entry) => {
      const [label, cli] = entry.split('=');
      return { label: label!, cli: resolve(cli!) };
    });
    // `--contenders direct,affordance` leaves out the others (the `--compare` builds always run).
    const wanted = values.contenders?.split(',');
    const contenders = (await startContenders(subgraphs, supergraph, others, wanted)).filter(
      (c) => !wanted || wanted.includes(c.id) || c.id.includes('@'),
    );
    const scenarios = values.scenarios?.split(',') ?? SCENARIOS.map((s) => s.id);
    const check = () =>
      checkAnswers(
        contenders,
        SCENARIOS.filter((s) => scenarios.includes(s.id)),
        data,
        { samples: 20, seed: 1 },
      );
    await check();
    throughput = await runThroughput(contenders, subgraphs, data, { ...throughputOptions, scenarios });
    // The mutations under load left every answer as it was.
    await check();
    await Promise.all(contenders.map((c) => c.process?.stop()));
  }
  if (data && wants('workers')) {
    log('comparing server.workers with one process at the same CPU limits');
    workers = await runWorkers(subgraphs, data, {
      ...throughputOptions,
      rounds: Number(values['worker-rounds']),
      seconds: Number(values['worker-seconds']),
      limits: values['worker-limits'].split(',').map(Number),
      scenarios: values['worker-scenarios'].split(','),
      workers: Number(values.workers),
    });
  }
  let reactions;
  if (!only || only.includes('reaction')) {
    const reactionOptions: ReactionOptions = {
      transitions: Number(values.transitions),
      sizes: values.sizes.split(',').map(Number),
      demo: subgraphs,
      log,
    };
    reactions = await runReactions(reactionOptions);
  }
  await Promise.all(subgraphs.processes.map((p) => p.stop()));
  let reductions;
  if (!only || only.includes('reduction')) {
    log('timing compositions that need a reduction');
    reductions = runReductions({ sizes: [10, 50, 100], downs: [1, 3], trials: 5, log });
  }
  let rollouts;
  if (!only || only.includes('rollout')) {
    log('timing rolling updates');
    rollouts = await runRollouts({ rollouts: 20, replicas: 3, log });
  }
  const { log: _log, ...options } = throughputOptions;
  const file = writeReport({
    out: values.out,
    throughput,
    dataSet,
    workers,
    reactions,
    reductions,
    rollouts,
    options,
    measuredAt: new Date(started).toISOString(),
    machine: machine(),
    versions: versions(),
    gatewayNodeOptions: gatewayNodeOptions(ROOT),
    command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
    elapsedMs: Date.now() - started,
  });
  log(`wrote ${file} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

setTimeout(() => {
  log(`stopped: the benchmark ran past ${HARD_LIMIT_MS / 60_000} minutes`);
  killAll();
  process.exit(2);
}, HARD_LIMIT_MS).unref();
process.on('exit', killAll);
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));
main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(`failed: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
