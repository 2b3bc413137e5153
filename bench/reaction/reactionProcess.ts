/**
 * Times the gateway's reaction to availability changes, in a process of its own so its
 * memory is the gateway's: starts the real gateway with an injected (static) source, then
 * flips one subgraph at a time and, from the moment of each change, asks the gateway
 * back-to-back which root fields it serves until the answer reflects the change. Prints
 * one JSON `ReactionResult` line (the gateway's own logs go to stderr).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { pino } from 'pino';
import { Pool } from 'undici';
import { StaticSource } from '../../src/sources/staticSource.js';
import { fetchSubgraphSdl } from '../../src/composition/fetchSdl.js';
import { validateConfig } from '../../src/config/load.js';
import { startGateway } from '../../src/gateway/startGateway.js';
import { createLogger } from '../../src/platform/logger.js';
import { onLines } from '../processes.js';
import { median, percentile } from '../stats.js';
import type { ReactionResult, ReactionSpec } from './reactionSpec.js';

const ROOT_FIELDS = JSON.stringify({ query: '{ __type(name: "Query") { fields { name } } }' });
const TYPENAME = JSON.stringify({ query: '{ __typename }' });
const WHEN = ['swap', 'ahead'] as const;

/** POSTs a GraphQL body to the gateway on `pool`; the answer's text. */
async function post(pool: Pool, body: string): Promise<string> {
  const response = await pool.request({
    path: '/graphql',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  return response.body.text();
}

/** The gateway's schema builds so far, from its /metrics (count and total ms by when). */
async function buildsSoFar(url: string): Promise<ReactionResult['builds']> {
  const text = await (await fetch(`${url}/metrics`)).text();
  // Summed over the result label (ok and failed builds).
  const value = (series: string, when: string) =>
    text
      .split('\n')
      .filter((l) => l.startsWith(`gateway_schema_build_duration_seconds_${series}{`) && l.includes(`when="${when}"`))
      .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
  return Object.fromEntries(
    WHEN.map((when) => [when, { count: value('count', when), totalMs: value('sum', when) * 1000 }]),
  ) as ReactionResult['builds'];
}

/** Sends `{ __typename }` back-to-back until stopped; the latency of each request, ms. */
function backgroundClient(url: string): { stop(): Promise<number[]> } {
  const pool = new Pool(url, { connections: 1 });
  const latencies: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      await post(pool, TYPENAME);
      latencies.push(performance.now() - started);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await pool.close();
      return latencies;
    },
  };
}

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

/** With `awaitGo`, prints `said` and waits for the line `awaited` on stdin (see ReactionSpec). */
async function handshake(spec: ReactionSpec, said: string, awaited: string): Promise<void> {
  if (!spec.awaitGo) return;
  const heard = new Promise<void>((resolve) => {
    const stop = onLines(process.stdin, (line) => {
      if (line !== awaited) return;
      stop();
      resolve();
    });
  });
  process.stdout.write(`${said}\n`);
  await heard;
}

/** The heap in use after a full GC (the process is not started with --expose-gc). */
function liveHeapBytes(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '') as ReactionSpec;
  const composeMs = await timeCompositions(spec);
  await handshake(spec, 'timed', 'start');
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
  await handshake(spec, 'ready', 'go');
  await new Promise((resolve) => setTimeout(resolve, 300));
  const rssStart = process.memoryUsage().rss;
  let rssPeak = rssStart;
  const pool = new Pool(gateway.url, { connections: 1 });
  const served = async (field: string): Promise<boolean> =>
    (await post(pool, ROOT_FIELDS)).includes(`"name":"${field}"`);
  const buildsBefore = await buildsSoFar(gateway.url);
  const background = backgroundClient(gateway.url);

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
    const held = !up && spec.holdEvery > 0 && (Math.floor(i / 2) + 1) % spec.holdEvery === 0;
    await new Promise((resolve) => setTimeout(resolve, held ? spec.holdMs : spec.gapMs));
  }
  const latencies = await background.stop();
  const buildsAfter = await buildsSoFar(gateway.url);
  const builds = Object.fromEntries(
    WHEN.map((when) => [
      when,
      {
        count: buildsAfter[when].count - buildsBefore[when].count,
        totalMs: buildsAfter[when].totalMs - buildsBefore[when].totalMs,
      },
    ]),
  ) as ReactionResult['builds'];
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
    builds,
    stall: { requests: latencies.length, p99: percentile(latencies, 0.99), max: Math.max(...latencies) },
    rssStart,
    rssPeak,
    heapUsed: process.memoryUsage().heapUsed,
    liveHeap: liveHeapBytes(),
  };
  await pool.close();
  await gateway.close();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

setTimeout(() => process.exit(3), 400_000).unref();
process.stdin.on('end', () => process.exit(1)).resume();
main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`reaction benchmark failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
