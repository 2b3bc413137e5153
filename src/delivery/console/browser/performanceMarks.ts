/**
 * The console's timings in the browser's Performance timeline (devtools, and the browser
 * tests read them), each name held once so a long-open page does not collect entries.
 */

/** Marks the first time something happens (its startTime: ms since navigation start). */
export function markFirst(name: string): void {
  if (!performance.getEntriesByName(name, 'mark').length) performance.mark(name);
}

/** Replaces the measure `name` with one from `startMs` (performance.now()) to now. */
export function measureLast(name: string, startMs: number): void {
  performance.clearMeasures(name);
  performance.measure(name, { start: startMs });
}
