/**
 * Times the gateway's reaction to availability changes, in a process of its own so its
 * memory is the gateway's: starts the real gateway with an injected (static) source, then
 * flips one subgraph at a time and, from the moment of each change, asks the gateway
 * back-to-back which root fields it serves until the answer reflects the change. Prints
 * one JSON `ReactionResult` line (the gateway's own logs go to stderr).
 */
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { pino } from 'pino';
import { Pool } from 'undici';
import { StaticSource } from '../../src/availability/sources/staticSource.js';
import { fetchSubgraphSdl } from '../../src/composition/fetchSdl.js';
import { validateConfig } from '../../src/config/load.js';
import { startGateway } from '../../src/gateway/startGateway.js';
import { createLogger } from '../../src/runtime/logger.js';
import { median, percentile } from '../stats.js';
import type { ReactionResult, ReactionSpec } from './reactionSpec.js';

const ROOT_FIELDS = JSON.stringify({ query: '{ __type(name: "Query") { fields { name } } }' });

async function timeCompositions(spec: ReactionSpec): Promise<number> {
  const definitions = await Promise.all(
    spec.subgraphs.map(async ({ name, url }) => ({ name, url, typeDefs: parse(await fetchSubgraphSdl(url, 10_000)) })),
  );
  const times: number[] = [];
  for (let run = 0; run < spec.composeRuns; run++) {
    const started = performance.now();
    const result = composeServices(definitions);
    times.push(performance.now() - started);
    if (result.errors) throw new Error(`synthetic subgraphs do not compose: ${result.errors[0]!.message}`);
  }
  return median(times);
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '') as ReactionSpec;
  const composeMs = await timeCompositions(spec);
  const source = new StaticSource(Object.fromEntries(spec.subgraphs.map((s) => [s.name, true])));
  const config = validateConfig({
    server: { port: 0 },
    availability: { settleMs: 0 },
    limits: { rateLimit: false },
    subgraphs: Object.fromEntries(spec.subgraphs.map((s) => [s.name, { url: s.url }])),
  });
  const started = performance.now();
  const gateway = await startGateway({
    config,
    logger: createLogger('gateway', 'warn', pino.destination(2)),
    sources: [source],
  });
  const startMs = performance.now() - started;
  // Steady state: the sets one change away are composed in the background after start
  // (absent in builds before that existed, which `--compare`-style runs may measure), and
  // a short pause lets the gateway build what it builds ahead of need.
  await gateway.manager.whenPrecomposed?.();
  const precomposeMs = performance.now() - started - startMs;
  await new Promise((resolve) => setTimeout(resolve, 300));
  const rssStart = process.memoryUsage().rss;
  let rssPeak = rssStart;
  const pool = new Pool(gateway.url, { connections: 1 });
  const served = async (field: string): Promise<boolean> => {
    const response = await pool.request({
      path: '/graphql',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: ROOT_FIELDS,
    });
    return (await response.body.text()).includes(`"name":"${field}"`);
  };

  const samples: number[] = [];
  for (let i = 0; i < spec.transitions; i++) {
    const subgraph = spec.subgraphs[Math.floor(i / 2) % spec.subgraphs.length]!;
    const up = i % 2 === 1;
    const changed = performance.now();
    source.set(subgraph.name, up, up ? 'bench: up' : 'bench: down');
    while ((await served(subgraph.rootField)) !== up) {
      if (performance.now() - changed > 30_000)
        throw new Error(`no reaction to ${subgraph.name} ${up ? 'up' : 'down'}`);
    }
    samples.push(performance.now() - changed);
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    await new Promise((resolve) => setTimeout(resolve, spec.gapMs));
  }
  const result: ReactionResult = {
    label: spec.label,
    subgraphs: spec.subgraphs.length,
    composeMs,
    startMs,
    precomposeMs,
    samples,
    p50: percentile(samples, 0.5),
    p99: percentile(samples, 0.99),
    max: Math.max(...samples),
    rssStart,
    rssPeak,
    heapUsed: process.memoryUsage().heapUsed,
  };
  await pool.close();
  await gateway.close();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

setTimeout(() => process.exit(3), 170_000).unref();
process.stdin.on('end', () => process.exit(1)).resume();
main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`reaction benchmark failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
