import type { AffordanceState } from './affordanceState.js';
import type { History, HistoryChange, HistoryEntry, HistoryWindow, SubgraphStatus } from './types.js';

export interface HistoryBounds {
  /** Entries kept; the oldest go first. */
  readonly maxEntries: number;
  /** Age after which an entry goes. */
  readonly maxAgeMs: number;
}

/** The windows every subgraph's figures are given over. */
export const HISTORY_WINDOWS: readonly { readonly name: string; readonly ms: number }[] = [
  { name: '1h', ms: 3_600_000 },
  { name: '24h', ms: 86_400_000 },
];

/** Running totals since the gateway started, for the Prometheus counters. */
export interface SubgraphTotals {
  readonly drops: number;
  readonly unavailableMs: number;
}

interface Stored {
  readonly atMs: number;
  readonly entry: HistoryEntry;
}

interface Last {
  readonly available: boolean;
  readonly composed: boolean;
  readonly versions: readonly string[];
}

/** A point of a subgraph's timeline: from `atMs` on, it is down (or not). */
interface Point {
  readonly atMs: number;
  readonly down: boolean;
  readonly available?: boolean;
}

/**
 * The gateway's record of subgraph transitions. Level-triggered: it compares each whole
 * state of the subgraphs with the one before and records what differs (`available`,
 * `composed`, the versions serving), so a coalesced or repeated notification cannot make
 * it wrong. Bounded by count and age; only the gateway's own state adds to it.
 */
export class HistoryRecorder {
  private readonly stored: Stored[] = [];
  private readonly last = new Map<string, Last>();
  /** Per subgraph, its state as of the newest entry the bounds dropped. */
  private readonly baselines = new Map<string, Point>();
  private readonly totals = new Map<string, { drops: number; unavailableMs: number; downSinceMs?: number }>();
  private readonly listeners = new Set<(entries: readonly HistoryEntry[]) => void>();
  private retainedSinceMs: number;

  constructor(
    private readonly bounds: HistoryBounds,
    private readonly now: () => number = Date.now,
  ) {
    this.retainedSinceMs = now();
  }

  /** Records every new state of the subgraphs' statuses; returns the unsubscribe. */
  follow(feed: Pick<AffordanceState, 'subgraphs' | 'subscribeSubgraphs'>): () => void {
    const current = feed.subgraphs();
    if (current) this.record(current);
    return feed.subscribeSubgraphs((subgraphs) => this.record(subgraphs));
  }

  /** Listeners get each batch of new entries (one per state that changed something). */
  subscribe(listener: (entries: readonly HistoryEntry[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Compares a whole state with the last one; records and returns what changed. */
  record(subgraphs: readonly SubgraphStatus[]): readonly HistoryEntry[] {
    const atMs = this.now();
    const at = new Date(atMs).toISOString();
    const added: HistoryEntry[] = [];
    const present = new Set<string>();
    for (const status of subgraphs) {
      present.add(status.name);
      const versions = status.versions.map((v) => v.hash);
      const previous = this.last.get(status.name);
      const changes: HistoryChange[] = [];
      if (!previous) changes.push('SEEN');
      else {
        if (previous.available !== status.available) changes.push(status.available ? 'AVAILABLE' : 'UNAVAILABLE');
        if (previous.composed !== status.composed) changes.push(status.composed ? 'COMPOSED' : 'LEFT_OUT');
        if ([...previous.versions].sort().join() !== [...versions].sort().join()) changes.push('VERSIONS');
      }
      if (!changes.length) continue;
      this.last.set(status.name, { available: status.available, composed: status.composed, versions });
      this.count(status.name, atMs, previous?.available, status.available);
      const { name: subgraph, available, composed, reason } = status;
      added.push({ at, subgraph, changes, available, composed, versions, reason });
    }
    for (const [subgraph, previous] of this.last) {
      if (present.has(subgraph)) continue;
      this.last.delete(subgraph);
      this.count(subgraph, atMs, previous.available, undefined);
      const reason = "no longer one of the gateway's subgraphs";
      added.push({ at, subgraph, changes: ['REMOVED'], available: false, composed: false, versions: [], reason });
    }
    if (!added.length) return added;
    for (const entry of added) this.stored.push({ atMs, entry });
    this.prune(atMs);
    for (const listener of this.listeners) listener(added);
    return added;
  }

  /** The entries from `sinceMs` on (all retained by default), and every subgraph's figures. */
  query(options: { sinceMs?: number; subgraph?: string } = {}): History {
    const nowMs = this.now();
    this.prune(nowMs);
    const sinceMs = Math.max(options.sinceMs ?? this.retainedSinceMs, 0);
    const wanted = (name: string) => options.subgraph === undefined || options.subgraph === name;
    const entries = this.stored.filter((s) => s.atMs >= sinceMs && wanted(s.entry.subgraph)).map((s) => s.entry);
    const names = new Set([...this.last.keys(), ...this.stored.map((s) => s.entry.subgraph)]);
    const subgraphs = [...names]
      .filter(wanted)
      .sort()
      .map((subgraph) => {
        const timeline = this.timeline(subgraph);
        const atSince = timeline.filter((p) => p.atMs <= sinceMs).at(-1);
        return {
          subgraph,
          available: this.last.get(subgraph)?.available ?? false,
          availableAtSince: atSince?.available,
          windows: HISTORY_WINDOWS.map((w) => this.window(subgraph, timeline, w.name, nowMs - w.ms, nowMs)),
        };
      });
    return {
      since: new Date(sinceMs).toISOString(),
      retainedSince: new Date(this.retainedSinceMs).toISOString(),
      entries,
      subgraphs,
    };
  }

  /** Drops and time unavailable per subgraph since the gateway started (not bounded by the history). */
  totalsNow(): ReadonlyMap<string, SubgraphTotals> {
    const nowMs = this.now();
    const totals = new Map<string, SubgraphTotals>();
    for (const [subgraph, t] of this.totals) {
      const ongoing = t.downSinceMs === undefined ? 0 : nowMs - t.downSinceMs;
      totals.set(subgraph, { drops: t.drops, unavailableMs: t.unavailableMs + ongoing });
    }
    return totals;
  }

  private count(subgraph: string, atMs: number, before: boolean | undefined, after: boolean | undefined): void {
    let t = this.totals.get(subgraph);
    if (!t) this.totals.set(subgraph, (t = { drops: 0, unavailableMs: 0 }));
    if (before === true && after === false) t.drops += 1;
    if (before === false && after !== false && t.downSinceMs !== undefined) {
      t.unavailableMs += atMs - t.downSinceMs;
      t.downSinceMs = undefined;
    }
    if (after === false && before !== false) t.downSinceMs = atMs;
  }

  private prune(nowMs: number): void {
    const oldest = nowMs - this.bounds.maxAgeMs;
    while (this.stored.length > this.bounds.maxEntries || (this.stored[0] && this.stored[0].atMs < oldest)) {
      const { atMs, entry } = this.stored.shift()!;
      if (entry.changes.includes('REMOVED')) this.baselines.delete(entry.subgraph);
      else this.baselines.set(entry.subgraph, pointOf(atMs, entry));
      this.retainedSinceMs = atMs;
    }
  }

  private timeline(subgraph: string): Point[] {
    const points = this.stored.filter((s) => s.entry.subgraph === subgraph).map((s) => pointOf(s.atMs, s.entry));
    const baseline = this.baselines.get(subgraph);
    return baseline ? [baseline, ...points] : points;
  }

  private window(subgraph: string, timeline: readonly Point[], name: string, fromMs: number, nowMs: number) {
    let unavailableMs = 0;
    timeline.forEach((point, i) => {
      if (!point.down) return;
      const end = timeline[i + 1]?.atMs ?? nowMs;
      unavailableMs += Math.max(0, end - Math.max(point.atMs, fromMs));
    });
    const drops = this.stored.filter(
      (s) => s.atMs >= fromMs && s.entry.subgraph === subgraph && s.entry.changes.includes('UNAVAILABLE'),
    ).length;
    return { window: name, unavailableMs, drops } satisfies HistoryWindow;
  }
}

function pointOf(atMs: number, entry: HistoryEntry): Point {
  const removed = entry.changes.includes('REMOVED');
  return { atMs, down: !entry.available && !removed, available: removed ? undefined : entry.available };
}
