import { gatewayNodeOptions } from '../gatewayNodeOptions.js';
import { entry, ROOT, runToEnd } from '../processes.js';
import type { Subgraphs } from '../throughput/contenders.js';
import type { ReactionResult, ReactionSpec } from './reactionSpec.js';
import { serveSyntheticSubgraphs, syntheticName, syntheticRootField } from './syntheticSubgraphs.js';

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

async function measure(spec: ReactionSpec): Promise<ReactionResult> {
  const line = await runToEnd(
    `reaction ${spec.label}`,
    entry('bench/reaction/reactionProcess'),
    [JSON.stringify(spec)],
    180_000,
    // The gateway runs in this process: with the heap sizes of its Deployment, as deployed.
    { NODE_OPTIONS: gatewayNodeOptions(ROOT) },
  );
  return JSON.parse(line) as ReactionResult;
}

/** Reaction time on the demo subgraphs, then composition and reaction time at every synthetic size. */
export async function runReactions(options: ReactionOptions): Promise<Reactions> {
  const demo = await measure({
    label: 'demo subgraphs',
    subgraphs: [
      { name: 'customers', url: options.demo.customers, rootField: 'customers' },
      { name: 'invoices', url: options.demo.invoices, rootField: 'invoices' },
    ],
    transitions: options.transitions,
    ...PACE,
    composeRuns: 5,
  });
  options.log(describe(demo));
  const scaling: ReactionResult[] = [];
  for (const size of options.sizes) {
    const server = await serveSyntheticSubgraphs(size);
    try {
      const result = await measure({
        label: `${size} synthetic subgraphs`,
        subgraphs: Array.from({ length: size }, (_, k) => ({
          name: syntheticName(k + 1),
          url: `${server.baseUrl}/${syntheticName(k + 1)}/graphql`,
          rootField: syntheticRootField(k + 1),
        })),
        transitions: SYNTHETIC_TRANSITIONS,
        ...PACE,
        composeRuns: size >= 50 ? 1 : 3,
      });
      options.log(describe(result));
      scaling.push(result);
    } finally {
      await server.close();
    }
  }
  return { demo, scaling };
}
