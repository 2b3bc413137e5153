import { gatewayNodeOptions } from '../gatewayNodeOptions.js';
import { entry, onLines, ROOT, runToEnd, startProcess } from '../processes.js';
import type { Subgraphs } from '../throughput/contenders.js';
import type { ReactionResult, ReactionSpec } from './reactionSpec.js';
import {
  serveSyntheticSubgraphs,
  syntheticName,
  syntheticRootField,
  type SyntheticServer,
} from './syntheticSubgraphs.js';

export interface ReactionOptions {
  /** Transitions timed on the demo subgraphs. */
  transitions: number;
  /** Synthetic subgraph counts to scale over. */
  sizes: number[];
  demo: Subgraphs;
  log: (line: string) => void;
}

export interface Reactions {
  demo: ReactionResult;
  scaling: ReactionResult[];
}

/** 50 ms between changes; every tenth subgraph that goes down stays down for 1.5 s. */
const PACE = { gapMs: 50, holdEvery: 10, holdMs: 1500 };

/** Transitions timed at each synthetic size (each is cheap once the sets one change away are composed). */
const SYNTHETIC_TRANSITIONS = 50;

function describe(result: ReactionResult): string {
  return (
    `${result.label}: compose ${result.composeMs.toFixed(0)} ms, reaction p50 ${result.p50.toFixed(1)} ms ` +
    `p99 ${result.p99.toFixed(1)} ms, rss ${(result.rssPeak / 2 ** 20).toFixed(0)} MB`
  );
}

/** The old generation (MB) of the gateway in the synthetic runs (see `nodeOptions`). */
export const SYNTHETIC_OLD_SPACE_MB = 1024;

/**
 * The gateway runs in the reaction process, with the heap sizes of its Deployment. That
 * old generation (256 MB) is sized for the demo subgraphs; with 50 and 100 subgraphs the
 * gateway's live heap nears it and V8 collects all the time (building a supergraph took 3×
 * as long). The synthetic runs get a 1 GB old generation instead, as a deployment of that
 * many subgraphs would; their live heap after GC is reported for sizing one.
 */
const nodeOptions = (synthetic: boolean) =>
  synthetic
    ? gatewayNodeOptions(ROOT).replace(/--max-old-space-size=\d+/, `--max-old-space-size=${SYNTHETIC_OLD_SPACE_MB}`)
    : gatewayNodeOptions(ROOT);

async function measure(spec: ReactionSpec, synthetic: boolean): Promise<ReactionResult> {
  const line = await runToEnd(
    `reaction ${spec.label}`,
    entry('bench/reaction/reactionProcess'),
    [JSON.stringify(spec)],
    180_000,
    { NODE_OPTIONS: nodeOptions(synthetic) },
  );
  return JSON.parse(line) as ReactionResult;
}

/** A reaction process that waits to be told to start its gateway, and to time it (ReactionSpec.awaitGo). */
interface WaitingRun {
  /** Starts its gateway, which composes the sets one change away in the background. */
  start(): void;
  /** Times its transitions once it has composed; its result. */
  time(): Promise<ReactionResult>;
}

/** Starts a reaction process; resolves once it has timed its own composition (alone). */
async function startWaiting(spec: ReactionSpec): Promise<WaitingRun> {
  const proc = startProcess(
    `reaction ${spec.label}`,
    entry('bench/reaction/reactionProcess'),
    [JSON.stringify({ ...spec, awaitGo: true })],
    { NODE_OPTIONS: nodeOptions(true) },
  );
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  onLines(proc.child.stdout!, (line) => {
    lines.push(line);
    waiters.forEach((wake) => wake());
  });
  const exited = new Promise<number | null>((resolve) => proc.child.once('exit', resolve));
  const failed = async () => new Error(`${proc.name} exited with ${await exited}: ${proc.stderr()}`);
  const printed = (line: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!lines.includes(line)) return;
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
      void exited.then(async () => reject(await failed()));
    });
  await printed('timed');
  return {
    start: () => proc.child.stdin!.write('start\n'),
    async time() {
      await printed('ready');
      proc.child.stdin!.write('go\n');
      if ((await exited) !== 0) throw await failed();
      return JSON.parse(lines.at(-1) ?? '') as ReactionResult;
    },
  };
}

const syntheticSpec = (size: number, baseUrl: string): ReactionSpec => ({
  label: `${size} synthetic subgraphs`,
  subgraphs: Array.from({ length: size }, (_, k) => ({
    name: syntheticName(k + 1),
    url: `${baseUrl}/${syntheticName(k + 1)}/graphql`,
    rootField: syntheticRootField(k + 1),
  })),
  transitions: SYNTHETIC_TRANSITIONS,
  ...PACE,
  composeRuns: size >= 50 ? 1 : 3,
});

/** Sizes from which composing the sets one change away takes long enough to overlap (tens of seconds). */
const OVERLAP_FROM = 50;

/**
 * Reaction time on the demo subgraphs, then composition and reaction time at every
 * synthetic size. The large sizes spend most of their run composing the sets one change
 * away in the background (over a minute with 100 subgraphs, on one core): they start
 * together, each composing on its own core, once the small ones have been timed alone, and
 * are then timed one after the other, each once it has composed.
 */
export async function runReactions(options: ReactionOptions): Promise<Reactions> {
  const servers: SyntheticServer[] = [];
  const serve = async (size: number) => {
    const server = await serveSyntheticSubgraphs(size);
    servers.push(server);
    return server.baseUrl;
  };
  try {
    const demo = await measure(
      {
        label: 'demo subgraphs',
        subgraphs: [
          { name: 'customers', url: options.demo.customers, rootField: 'customers' },
          { name: 'invoices', url: options.demo.invoices, rootField: 'invoices' },
        ],
        transitions: options.transitions,
        // No subgraph is held down: the demo supergraphs are small enough to be built ahead of
        // need.
        ...PACE,
        holdEvery: 0,
        composeRuns: 5,
      },
      false,
    );
    options.log(describe(demo));
    const sizes = [...options.sizes].sort((a, b) => a - b);
    const scaling: ReactionResult[] = [];
    for (const size of sizes.filter((s) => s < OVERLAP_FROM)) {
      scaling.push(await measure(syntheticSpec(size, await serve(size)), true));
      options.log(describe(scaling.at(-1)!));
    }
    // Each times its own composition alone, then all compose in the background together.
    const waiting: WaitingRun[] = [];
    for (const size of sizes.filter((s) => s >= OVERLAP_FROM)) {
      waiting.push(await startWaiting(syntheticSpec(size, await serve(size))));
    }
    waiting.forEach((run) => run.start());
    for (const run of waiting) {
      scaling.push(await run.time());
      options.log(describe(scaling.at(-1)!));
    }
    return { demo, scaling };
  } finally {
    await Promise.all(servers.map((server) => server.close()));
  }
}
