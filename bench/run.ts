/**
 * `npm run bench`: throughput against the demo subgraphs (this gateway, stock Apollo
 * Gateway, Hive Gateway, and the subgraphs called directly), reaction time to
 * availability changes, and scaling with synthetic subgraphs; writes BENCHMARKS.md and
 * its charts. Every process it starts stops with it; the whole run is bounded.
 */
import { parseArgs } from 'node:util';
import { killAll } from './processes.js';
import { runReactions, type ReactionOptions } from './reaction/runReactions.js';
import { composeDemoSupergraph, startContenders, startSubgraphs } from './throughput/contenders.js';
import { checkAnswers, runThroughput } from './throughput/runThroughput.js';
import { writeReport } from './report/writeReport.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '4' },
    warmup: { type: 'string', default: '1' },
    connections: { type: 'string', default: '32' },
    transitions: { type: 'string', default: '60' },
    sizes: { type: 'string', default: '2,10,50,100' },
    only: { type: 'string' },
    out: { type: 'string', default: 'BENCHMARKS.md' },
  },
});

const HARD_LIMIT_MS = 9 * 60_000;
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

async function main(): Promise<void> {
  const started = Date.now();
  const only = values.only?.split(',');
  const throughputOptions = {
    rounds: Number(values.rounds),
    seconds: Number(values.seconds),
    warmupSeconds: Number(values.warmup),
    connections: Number(values.connections),
    log,
  };
  log('starting the demo subgraphs');
  const subgraphs = await startSubgraphs();
  let throughput;
  if (!only || only.includes('throughput')) {
    const supergraph = await composeDemoSupergraph(subgraphs);
    log('starting the gateways');
    const contenders = await startContenders(subgraphs, supergraph);
    await checkAnswers(contenders);
    throughput = await runThroughput(contenders, throughputOptions);
    await Promise.all(contenders.map((c) => c.process?.stop()));
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
  const file = writeReport({
    out: values.out,
    throughput,
    reactions,
    options: throughputOptions,
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
