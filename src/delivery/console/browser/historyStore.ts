import type { HistoryEntryJson, HistoryJson } from './affordancesJson.js';

/** What the timeline shows: the last hour. */
export const WINDOW_MS = 3_600_000;
/** Transitions kept per subgraph (the newest); one flapping all hour cannot grow the page without bound. */
export const MAX_POINTS_PER_SUBGRAPH = 200;

/** unknown: before the gateway's record reaches, or after the subgraph left the set. */
export type BandState = 'up' | 'down' | 'rolling' | 'unknown';

export interface Band {
  readonly fromMs: number;
  readonly toMs: number;
  readonly state: BandState;
  /** The reason of the transition that began it; empty when only the state is known. */
  readonly reason: string;
}

/** From `atMs` on, the subgraph is in `state`. */
interface Point {
  readonly atMs: number;
  readonly state: BandState;
  readonly reason: string;
  /** Identifies the entry it comes from, so one seen in the query and on the stream counts once. */
  readonly key: string;
}

const entryKey = (e: HistoryEntryJson) => `${e.at} ${e.subgraph} ${e.changes.join(',')}`;

function pointOf(e: HistoryEntryJson): Point {
  const state: BandState = e.changes.includes('REMOVED')
    ? 'unknown'
    : !e.available
      ? 'down'
      : e.versions.length > 1
        ? 'rolling'
        : 'up';
  return { atMs: Date.parse(e.at), state, reason: e.reason, key: entryKey(e) };
}

/**
 * The console's copy of the gateway's history, for the last hour only: loaded from
 * `affordances { history(since: "1h") }` on every (re)connection of the change stream and
 * kept up to date by its `history` events. Bounded: per subgraph the transitions in the
 * window (at most MAX_POINTS_PER_SUBGRAPH) and the one that was in force when it began;
 * a subgraph whose last transition left the set before the window is forgotten.
 */
export class HistoryStore {
  private readonly points = new Map<string, Point[]>();

  /** Replaces what is known with an answer of the history query; entries newer than its newest (from the stream) stay. */
  load(history: HistoryJson, nowMs: number): void {
    const newest = Math.max(0, ...history.entries.map((e) => Date.parse(e.at)));
    const later = [...this.points].map(([subgraph, ps]) => [subgraph, ps.filter((p) => p.atMs > newest)] as const);
    this.points.clear();
    const sinceMs = Date.parse(history.since);
    for (const s of history.subgraphs) {
      // The state at the start of the answer, when the gateway's record reaches back that far.
      if (s.availableAtSince != null) {
        const state = s.availableAtSince ? 'up' : 'down';
        this.points.set(s.subgraph, [{ atMs: sinceMs, state, reason: '', key: `since ${s.subgraph}` }]);
      }
    }
    this.add(history.entries, nowMs);
    for (const [subgraph, ps] of later) this.insert(subgraph, ps);
    this.prune(nowMs);
  }

  /** Adds entries (a `history` event); an entry already known is not added twice. */
  add(entries: readonly HistoryEntryJson[], nowMs: number): void {
    const bySubgraph = new Map<string, Point[]>();
    for (const e of entries) {
      const ps = bySubgraph.get(e.subgraph);
      if (ps) ps.push(pointOf(e));
      else bySubgraph.set(e.subgraph, [pointOf(e)]);
    }
    for (const [subgraph, ps] of bySubgraph) this.insert(subgraph, ps);
    this.prune(nowMs);
  }

  /** The subgraphs it knows anything of in the window. */
  subgraphs(): string[] {
    return [...this.points.keys()];
  }

  /** Transitions held, over every subgraph (what bounds the page's memory). */
  size(): number {
    let n = 0;
    for (const ps of this.points.values()) n += ps.length;
    return n;
  }

  /** A subgraph's bands over [fromMs, toMs], adjacent ones of the same state and reason merged. */
  bands(subgraph: string, fromMs: number, toMs: number): Band[] {
    const ps = this.points.get(subgraph) ?? [];
    const bands: Band[] = [];
    const push = (band: Band) => {
      if (band.toMs <= band.fromMs) return;
      const last = bands.at(-1);
      if (last && last.state === band.state && last.reason === band.reason && last.toMs === band.fromMs) {
        bands[bands.length - 1] = { ...last, toMs: band.toMs };
      } else bands.push(band);
    };
    push({ fromMs, toMs: Math.min(toMs, ps[0]?.atMs ?? toMs), state: 'unknown', reason: '' });
    ps.forEach((p, i) => {
      const end = ps[i + 1]?.atMs ?? toMs;
      push({ fromMs: Math.max(p.atMs, fromMs), toMs: Math.min(end, toMs), state: p.state, reason: p.reason });
    });
    return bands;
  }

  private insert(subgraph: string, added: readonly Point[]): void {
    const ps = this.points.get(subgraph) ?? [];
    const known = new Set(ps.map((p) => p.key));
    const fresh = added.filter((p) => !known.has(p.key));
    if (fresh.length)
      this.points.set(
        subgraph,
        [...ps, ...fresh].sort((a, b) => a.atMs - b.atMs),
      );
  }

  private prune(nowMs: number): void {
    const startMs = nowMs - WINDOW_MS;
    for (const [subgraph, ps] of this.points) {
      // Keep the point in force at the window's start, and everything after it.
      let first = 0;
      while (first + 1 < ps.length && ps[first + 1]!.atMs <= startMs) first++;
      const kept = ps.slice(Math.max(first, ps.length - MAX_POINTS_PER_SUBGRAPH));
      const gone = kept.length === 1 && kept[0]!.state === 'unknown' && kept[0]!.atMs <= startMs;
      if (gone || !kept.length) this.points.delete(subgraph);
      else this.points.set(subgraph, kept);
    }
  }
}
