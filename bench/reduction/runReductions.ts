import { parse } from 'graphql';
import { composeAvailable, hashSdl } from '../../src/composition/composeSupergraph.js';
import { BuiltSubgraphs } from '../../src/composition/builtSubgraphs.js';
import { median } from '../stats.js';
import { entitySubgraphName, entitySubgraphSdl } from './entitySubgraphs.js';

/** Time to compose the available set when some subgraphs are down, at one size. */
export interface ReductionResult {
  readonly subgraphs: number;
  /** Subgraphs down in each trial. */
  readonly down: number;
  readonly trials: number;
  /** Composing every subgraph (as they are), ms: the baseline. */
  readonly fullComposeMs: number;
  /** Composing the available ones: the failed plain composition plus the reduction, ms. */
  readonly p50: number;
  readonly max: number;
  /** Elements removed per trial (median). */
  readonly removed: number;
}

export interface ReductionOptions {
  sizes: readonly number[];
  /** Down subgraphs per trial. */
  downs: readonly number[];
  trials: number;
  log: (line: string) => void;
}

/** A deterministic choice of `count` distinct subgraph numbers in 1..n (trial `seed`). */
function pick(n: number, count: number, seed: number): number[] {
  const chosen = new Set<number>();
  let x = seed * 7919 + 13;
  while (chosen.size < Math.min(count, n)) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    chosen.add((x % n) + 1);
  }
  return [...chosen];
}

/**
 * Times what a change costs composition when the subgraphs that are up do not compose on
 * their own (`composeAvailable`: a composition that fails, then the reduction), on graphs
 * of entity-sharing subgraphs (see entitySubgraphs.ts). Runs in the benchmark's own
 * process, one trial after another; the gateway runs the same code in its composition
 * worker for the sets one change away.
 */
export function runReductions(options: ReductionOptions): ReductionResult[] {
  const results: ReductionResult[] = [];
  for (const n of options.sizes) {
    const definitions = Array.from({ length: n }, (_, k) => {
      const sdl = entitySubgraphSdl(k + 1);
      const name = entitySubgraphName(k + 1);
      return { name, url: `http://${name}.invalid/graphql`, typeDefs: parse(sdl), sdlHash: hashSdl(sdl) };
    });
    const built = new BuiltSubgraphs();
    const started = performance.now();
    const full = composeAvailable(definitions, [], built);
    const fullComposeMs = performance.now() - started;
    if (!full.ok || full.reduction) throw new Error(`the entity subgraphs do not compose as they are (${n})`);
    for (const down of options.downs) {
      const times: number[] = [];
      const removed: number[] = [];
      for (let trial = 0; trial < options.trials; trial++) {
        const gone = new Set(pick(n, down, trial + n).map(entitySubgraphName));
        const available = definitions.filter((d) => !gone.has(d.name));
        const unavailable = definitions.filter((d) => gone.has(d.name));
        const begun = performance.now();
        const composed = composeAvailable(available, unavailable, built);
        times.push(performance.now() - begun);
        if (!composed.ok) throw new Error(`nothing composes with ${[...gone].join(', ')} down (${n} subgraphs)`);
        removed.push(composed.reduction?.removed.length ?? 0);
      }
      const result = {
        subgraphs: n,
        down,
        trials: options.trials,
        fullComposeMs,
        p50: median(times),
        max: Math.max(...times),
        removed: median(removed),
      };
      options.log(
        `reduction: ${n} entity subgraphs, ${down} down: p50 ${result.p50.toFixed(0)} ms, max ${result.max.toFixed(0)} ms, ` +
          `${result.removed} removed (composing all: ${fullComposeMs.toFixed(0)} ms)`,
      );
      results.push(result);
    }
  }
  return results;
}
