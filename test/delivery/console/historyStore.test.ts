import type { HistoryEntryJson, HistoryJson } from '../../../src/delivery/console/browser/affordancesJson.js';
import {
  HistoryStore,
  MAX_POINTS_PER_SUBGRAPH,
  WINDOW_MS,
} from '../../../src/delivery/console/browser/historyStore.js';

const NOW = Date.parse('2026-05-01T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const entry = (subgraph: string, atMs: number, available: boolean, extra: Partial<HistoryEntryJson> = {}) =>
  ({
    at: iso(atMs),
    subgraph,
    changes: [available ? 'AVAILABLE' : 'UNAVAILABLE'],
    available,
    composed: available,
    versions: available ? ['aaaa'] : [],
    reason: available ? 'all checks pass' : 'http a: connection refused',
    ...extra,
  }) satisfies HistoryEntryJson;
const history = (since: number, entries: HistoryEntryJson[], atSince: Record<string, boolean | null> = {}) =>
  ({
    since: iso(since),
    retainedSince: iso(since),
    entries,
    subgraphs: Object.entries(atSince).map(([subgraph, availableAtSince]) => ({
      subgraph,
      available: true,
      availableAtSince,
      windows: [],
    })),
  }) satisfies HistoryJson;

describe("the console's history store", () => {
  test('bands over the window: the state at its start, each transition with its reason, rolling out, unknown before', () => {
    const store = new HistoryStore();
    const start = NOW - WINDOW_MS;
    store.load(
      history(
        start,
        [
          entry('a', NOW - 30 * 60_000, false),
          entry('a', NOW - 20 * 60_000, true, { changes: ['AVAILABLE', 'VERSIONS'], versions: ['aaaa', 'bbbb'] }),
          entry('a', NOW - 10 * 60_000, true, { changes: ['VERSIONS'], versions: ['bbbb'] }),
          entry('b', NOW - 5 * 60_000, true, { changes: ['SEEN'] }),
        ],
        { a: true, b: null },
      ),
      NOW,
    );
    expect(store.bands('a', start, NOW).map((b) => [b.state, (b.toMs - b.fromMs) / 60_000, b.reason])).toEqual([
      ['up', 30, ''],
      ['down', 10, 'http a: connection refused'],
      ['rolling', 10, 'all checks pass'],
      ['up', 10, 'all checks pass'],
    ]);
    expect(store.bands('b', start, NOW).map((b) => [b.state, (b.toMs - b.fromMs) / 60_000])).toEqual([
      ['unknown', 55],
      ['up', 5],
    ]);
  });

  test('an entry from the query and the stream counts once; entries newer than the answer survive a reload', () => {
    const store = new HistoryStore();
    const down = entry('a', NOW - 60_000, false);
    const up = entry('a', NOW - 30_000, true);
    store.add([down], NOW);
    store.add([down, up], NOW);
    expect(store.size()).toBe(2);
    // The answer was computed before `up` arrived on the stream.
    store.load(history(NOW - WINDOW_MS, [down]), NOW);
    expect(store.bands('a', NOW - 60_000, NOW).map((b) => b.state)).toEqual(['down', 'up']);
    expect(store.size()).toBe(2);
  });

  test('holds the window only, and at most MAX_POINTS_PER_SUBGRAPH transitions of one subgraph', () => {
    const store = new HistoryStore();
    // A subgraph flapping every second for two hours, and one that left the set long ago.
    const flaps = Array.from({ length: 7200 }, (_, i) => entry('a', NOW - 7200_000 + i * 1000, i % 2 === 0));
    const removed = entry('gone', NOW - 2 * WINDOW_MS, false, { changes: ['REMOVED'] });
    for (let i = 0; i < flaps.length; i += 100) store.add(flaps.slice(i, i + 100), NOW);
    store.add([removed], NOW);
    expect(store.size()).toBe(MAX_POINTS_PER_SUBGRAPH);
    expect(store.subgraphs()).toEqual(['a']);
    // Time passes without events: what left the window goes too, but the state in force stays.
    store.add([], NOW + 2 * WINDOW_MS);
    expect(store.size()).toBe(1);
    expect(store.bands('a', NOW + WINDOW_MS, NOW + 2 * WINDOW_MS).map((b) => b.state)).toEqual(['down']);
  });
});
