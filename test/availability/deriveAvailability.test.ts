import { deriveAvailability } from '../../src/availability/deriveAvailability.js';
import type { SourcedCheck, SubgraphAvailability } from '../../src/availability/types.js';

const t = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms);
const check = (subgraph: string, id: string, ok: boolean, sinceMs = 0, reason = ok ? 'up' : 'down'): SourcedCheck => ({
  source: 'probe',
  id,
  subgraph,
  ok,
  reason,
  since: t(sinceMs),
});
const derive = (checks: SourcedCheck[], previous: Map<string, SubgraphAvailability>, nowMs: number, settleMs = 500) =>
  deriveAvailability({ subgraphs: ['a'], checks, previous, now: t(nowMs), settleMs });

describe('deriveAvailability', () => {
  test('first derivation: up at once, nothing to damp', () => {
    const result = derive([check('a', 'http a', true)], new Map(), 0);
    expect(result.get('a')).toMatchObject({ available: true, reason: 'all checks pass', since: t(0) });
  });

  test('available only when every check of the subgraph passes; the reason lists the failing ones', () => {
    const result = derive(
      [
        check('a', 'http a', true),
        check('a', 'grpc b', false, 0, 'ECONNREFUSED'),
        check('a', 'grpc c', false, 0, 'NOT_SERVING'),
      ],
      new Map(),
      0,
    );
    expect(result.get('a')).toMatchObject({ available: false, reason: 'grpc b: ECONNREFUSED; grpc c: NOT_SERVING' });
  });

  test('a subgraph with no checks counts as available', () => {
    expect(derive([], new Map(), 0).get('a')?.available).toBe(true);
  });

  test('going down is immediate; since is kept while it stays down', () => {
    const up = derive([check('a', 'http a', true)], new Map(), 0);
    const down = derive([check('a', 'http a', false, 100)], up, 100);
    expect(down.get('a')).toMatchObject({ available: false, since: t(100) });
    const stillDown = derive([check('a', 'http a', false, 100, 'other')], down, 900);
    expect(stillDown.get('a')).toMatchObject({ available: false, since: t(100), reason: 'http a: other' });
  });

  test('coming back waits for the settle time, counted from when the last check turned ok', () => {
    const down = derive([check('a', 'http a', false)], new Map(), 0);
    const settling = derive([check('a', 'http a', true, 1000)], down, 1200);
    expect(settling.get('a')).toMatchObject({ available: false, since: t(0), settlingUntil: t(1500) });
    expect(settling.get('a')!.reason).toMatch(/settling until/);
    const back = derive([check('a', 'http a', true, 1000)], settling, 1500);
    expect(back.get('a')).toMatchObject({ available: true, since: t(1500) });
    expect(back.get('a')!.settlingUntil).toBeUndefined();
  });

  test('a flap during settling restarts the wait (level-triggered on check since)', () => {
    const down = derive([check('a', 'http a', false)], new Map(), 0);
    const settling = derive([check('a', 'http a', true, 1000)], down, 1100);
    const flapped = derive([check('a', 'http a', false, 1200)], settling, 1200);
    const again = derive([check('a', 'http a', true, 1300)], flapped, 1600);
    expect(again.get('a')).toMatchObject({ available: false, settlingUntil: t(1800) });
  });

  test('forgets subgraphs that are no longer known', () => {
    const result = deriveAvailability({
      subgraphs: [],
      checks: [check('a', 'http a', true)],
      previous: derive([check('a', 'http a', true)], new Map(), 0),
      now: t(1),
      settleMs: 0,
    });
    expect(result.size).toBe(0);
  });
});
