/** One subgraph the reaction benchmark flips. */
export interface FlippedSubgraph {
  name: string;
  url: string;
  /** A root query field only this subgraph has: in the schema exactly when it is composed. */
  rootField: string;
}

/** What a reaction-time process is told to measure. */
export interface ReactionSpec {
  label: string;
  subgraphs: FlippedSubgraph[];
  /** Availability changes to time (each subgraph in turn goes down, then comes back). */
  transitions: number;
  /** Pause between two changes, as between two real outages. */
  gapMs: number;
  /**
   * Every `holdEvery`-th subgraph that goes down stays down for `holdMs` (longer than the
   * gateway waits before building a supergraph it served first), so those builds happen
   * during the run and show in `builds` and `stall`. 0: none is held.
   */
  holdEvery: number;
  holdMs: number;
  /** Uncached compositions of the full set to time. */
  composeRuns: number;
  /**
   * Print `timed` once the composition is timed and wait for `start` on stdin before
   * starting the gateway; print `ready` once it has precomposed and wait for `go` before
   * timing transitions: large graphs compose in the background while others are timed.
   */
  awaitGo?: boolean;
}

export interface ReactionResult {
  label: string;
  subgraphs: number;
  /** Median time of an uncached composition of every subgraph (composeServices), ms. */
  composeMs: number;
  /** Time from process start of the gateway to its first served schema, ms. */
  startMs: number;
  /** Time after start until the sets one change away were composed in the background, ms. */
  precomposeMs: number;
  /** Reaction time of every transition, ms, in order. */
  samples: number[];
  p50: number;
  p99: number;
  max: number;
  /** The gateway's builds of supergraph states during the transitions, by when (its /metrics). */
  builds: Record<'swap' | 'ahead', { count: number; totalMs: number }>;
  /**
   * Latency of another client's requests (`{ __typename }`, back-to-back) during the
   * transitions, ms: how long a swap or a build holds up requests that have nothing to do with it.
   */
  stall: { requests: number; p99: number; max: number };
  /** RSS of the gateway process once started, and the peak while reacting (bytes). */
  rssStart: number;
  rssPeak: number;
  heapUsed: number;
  /** The V8 heap still in use after a full GC at the end (bytes): what the gateway needs. */
  liveHeap: number;
}
