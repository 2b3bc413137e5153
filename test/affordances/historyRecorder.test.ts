import { HistoryRecorder } from '../../src/affordances/historyRecorder.js';
import { historySince } from '../../src/affordances/historySince.js';
import type { SubgraphStatus } from '../../src/affordances/types.js';

const status = (name: string, available: boolean, versions: string[] = available ? ['v1'] : []): SubgraphStatus => ({
  name,
  url: `http://${name}`,
  available,
  composed: available,
  reason: available ? 'up' : 'probe failing',
  since: '2026-05-01T00:00:00.000Z',
  checks: [],
  versions: versions.map((hash) => ({ hash, endpoints: 1 })),
  rejectedVersion: undefined,
});

const MINUTE = 60_000;

describe('HistoryRecorder', () => {
  let now: number;
  const clock = () => now;
  beforeEach(() => {
    now = Date.parse('2026-05-01T10:00:00Z');
  });

  test('records what changed between whole states, nothing for a repeated one', () => {
    const history = new HistoryRecorder({ maxEntries: 100, maxAgeMs: 86_400_000 }, clock);
    expect(history.record([status('a', true), status('b', false)]).map((e) => e.changes)).toEqual([['SEEN'], ['SEEN']]);
    now += MINUTE;
    expect(history.record([status('a', true), status('b', false)])).toEqual([]);
    expect(history.record([status('a', false), status('b', false)])).toMatchObject([
      { subgraph: 'a', changes: ['UNAVAILABLE', 'LEFT_OUT', 'VERSIONS'], available: false, reason: 'probe failing' },
    ]);
    now += MINUTE;
    expect(history.record([status('a', true, ['v2']), status('b', false)])[0]!.changes).toEqual([
      'AVAILABLE',
      'COMPOSED',
      'VERSIONS',
    ]);
    expect(history.record([status('a', true, ['v2'])])).toMatchObject([{ subgraph: 'b', changes: ['REMOVED'] }]);
  });

  test('figures: time unavailable and drops over the windows, running totals', () => {
    const history = new HistoryRecorder({ maxEntries: 100, maxAgeMs: 86_400_000 }, clock);
    history.record([status('a', true)]);
    now += MINUTE;
    history.record([status('a', false)]);
    now += 2 * MINUTE;
    history.record([status('a', true)]);
    now += MINUTE;
    history.record([status('a', false)]);
    now += MINUTE;
    const { subgraphs } = history.query();
    expect(subgraphs).toEqual([
      {
        subgraph: 'a',
        available: false,
        availableAtSince: true,
        windows: [
          { window: '1h', unavailableMs: 3 * MINUTE, drops: 2 },
          { window: '24h', unavailableMs: 3 * MINUTE, drops: 2 },
        ],
      },
    ]);
    expect(history.totalsNow().get('a')).toEqual({ drops: 2, unavailableMs: 3 * MINUTE });
    // An hour on, the 1h window has only the ongoing outage in it.
    now += 60 * MINUTE;
    expect(history.query({ subgraph: 'a' }).subgraphs[0]!.windows[0]).toEqual({
      window: '1h',
      unavailableMs: 60 * MINUTE,
      drops: 0,
    });
  });

  test('bounded by count: the oldest go first, the state they left is kept for the figures', () => {
    const history = new HistoryRecorder({ maxEntries: 3, maxAgeMs: 86_400_000 }, clock);
    const start = now;
    for (let i = 0; i < 10; i++) {
      history.record([status('a', i % 2 === 0)]);
      now += MINUTE;
    }
    const answer = history.query();
    expect(answer.entries.map((e) => e.at)).toEqual([7, 8, 9].map((i) => new Date(start + i * MINUTE).toISOString()));
    expect(answer.retainedSince).toBe(new Date(start + 6 * MINUTE).toISOString());
    // Down at minutes 1, 3, 5, 7, 9: the outages from the dropped entry at 6 on are counted.
    expect(answer.subgraphs[0]!.windows[0]!.unavailableMs).toBe(2 * MINUTE);
    expect(history.totalsNow().get('a')).toEqual({ drops: 5, unavailableMs: 5 * MINUTE });
  });

  test('bounded by age, on record and on read', () => {
    const history = new HistoryRecorder({ maxEntries: 1000, maxAgeMs: 10 * MINUTE }, clock);
    history.record([status('a', true)]);
    now += 5 * MINUTE;
    history.record([status('a', false)]);
    now += 6 * MINUTE;
    expect(history.query().entries.map((e) => e.changes)).toEqual([['UNAVAILABLE', 'LEFT_OUT', 'VERSIONS']]);
    now += 10 * MINUTE;
    const answer = history.query();
    expect(answer.entries).toEqual([]);
    expect(answer.subgraphs[0]).toMatchObject({ available: false, windows: [{ unavailableMs: 16 * MINUTE }, {}] });
  });

  test('since and subgraph narrow the entries', () => {
    const history = new HistoryRecorder({ maxEntries: 100, maxAgeMs: 86_400_000 }, clock);
    history.record([status('a', true), status('b', true)]);
    now += MINUTE;
    history.record([status('a', false), status('b', true)]);
    const answer = history.query({ sinceMs: now - 1000, subgraph: 'a' });
    expect(answer.entries.map((e) => e.subgraph)).toEqual(['a']);
    expect(answer.subgraphs.map((s) => [s.subgraph, s.availableAtSince])).toEqual([['a', true]]);
  });
});

describe('historySince', () => {
  const now = Date.parse('2026-05-01T10:00:00Z');
  test.each([
    ['1h', now - 3_600_000],
    ['90s', now - 90_000],
    ['7d', now - 7 * 86_400_000],
    ['2026-05-01T09:00:00Z', now - 3_600_000],
    ['2026-05-01T11:00:00+02:00', now - 3_600_000],
  ])('%s', (value, expected) => expect(historySince(value, now)).toBe(expected));
  test.each(['yesterday', '1 h', '-1h', '2026-05-01', '2026-13-01T00:00:00Z'])('%s is refused', (value) =>
    expect(historySince(value, now)).toBeUndefined(),
  );
});
