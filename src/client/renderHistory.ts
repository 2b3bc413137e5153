import type { HistoryJson } from './historyJson.js';
import { formatTime } from './renderAffordances.js';
import { textTable } from './textTable.js';

export interface HistoryRenderOptions {
  /** Terminal width to fit; undefined for a pipe. */
  readonly width?: number;
  /** The end of the sparklines (now). */
  readonly nowMs: number;
}

/** Cells of a sparkline. */
const SPARK_CELLS = 40;
const UP = '█';
const DOWN = '▁';
const UNKNOWN = ' ';

/**
 * The `client history` view: one line per subgraph with a sparkline of its availability
 * from `since` to now (█ up for the whole cell, ▁ down at some point in it, blank unknown)
 * and its figures, then the transitions as a table.
 */
export function renderHistory(history: HistoryJson, options: HistoryRenderOptions): string {
  const name = Math.max(8, ...history.subgraphs.map((s) => s.subgraph.length));
  const lines = history.subgraphs.map((s) => {
    const figures = s.windows.map(
      (w) => `${w.window}: ${w.drops} drop${w.drops === 1 ? '' : 's'}, down ${duration(w.unavailableMs)}`,
    );
    return `${s.subgraph.padEnd(name)}  ${sparkline(history, s.subgraph, s.availableAtSince, options.nowMs)}  ${figures.join('; ')}`;
  });
  const heading = `Availability from ${formatTime(history.since)} to ${formatTime(new Date(options.nowMs).toISOString())} (${UP} up, ${DOWN} down)`;
  const table = history.entries.length
    ? textTable(
        ['at', 'subgraph', 'changes', 'status', 'reason'],
        history.entries.map((e) => [
          formatTime(e.at),
          e.subgraph,
          e.changes.join(', '),
          e.available ? 'up' : 'down',
          e.reason,
        ]),
        { width: options.width, wrapColumn: 4 },
      )
    : 'No transitions in this period.';
  return [
    heading,
    ...lines,
    '',
    `Transitions (history complete from ${formatTime(history.retainedSince)}):`,
    table,
  ].join('\n');
}

function sparkline(history: HistoryJson, subgraph: string, atSince: boolean | null, nowMs: number): string {
  const startMs = Date.parse(history.since);
  const span = Math.max(1, nowMs - startMs);
  const points = [
    { atMs: startMs, available: atSince },
    ...history.entries
      .filter((e) => e.subgraph === subgraph)
      .map((e) => ({ atMs: Date.parse(e.at), available: e.changes.includes('REMOVED') ? null : e.available })),
  ];
  let line = '';
  for (let cell = 0; cell < SPARK_CELLS; cell++) {
    const from = startMs + (span * cell) / SPARK_CELLS;
    const to = startMs + (span * (cell + 1)) / SPARK_CELLS;
    // The state entering the cell and every state that starts in it.
    const states = points
      .filter((p, i) => p.atMs < to && (p.atMs >= from || (points[i + 1]?.atMs ?? Infinity) > from))
      .map((p) => p.available);
    line += states.includes(false) ? DOWN : states.includes(true) ? UP : UNKNOWN;
  }
  return line;
}

/** `0s`, `42s`, `3m 5s`, `2h 10m`. */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}
