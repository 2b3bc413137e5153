import type { AffordancesJson, OperationJson } from './affordancesJson.js';
import { $, h } from './dom.js';
import type { Band, HistoryStore } from './historyStore.js';
import type { Interval } from './timelineView.js';
import { clock, lasting } from './timeText.js';

interface Outage {
  readonly subgraph: string;
  readonly bands: readonly Band[];
  readonly ms: number;
}

/** The subgraphs that were in `state` at some time in the interval, with for how long. */
function outages(store: HistoryStore, subgraphs: readonly string[], { fromMs, toMs }: Interval, state: Band['state']) {
  return subgraphs.flatMap((subgraph): Outage[] => {
    const bands = store.bands(subgraph, fromMs, toMs).filter((b) => b.state === state);
    const ms = bands.reduce((sum, b) => sum + b.toMs - b.fromMs, 0);
    return ms > 0 ? [{ subgraph, bands, ms }] : [];
  });
}

const spans = (bands: readonly Band[]) => bands.map((b) => `${clock(b.fromMs)}\u2013${clock(b.toMs)}`).join(', ');
const reasons = (bands: readonly Band[]) => [...new Set(bands.map((b) => b.reason).filter(Boolean))].join('; ');

/**
 * What could not be called in the selected interval: every operation of a subgraph that
 * was down at some time in it (the operations known now, available or not, by their
 * subgraph), for how long and why; and the subgraphs rolling out meanwhile, whose
 * operations only some versions have were unavailable. Hidden without a selection.
 */
export function renderInterval(
  interval: Interval | null,
  store: HistoryStore,
  subgraphs: readonly string[],
  affordances: AffordancesJson | null,
): void {
  $('interval').hidden = !interval;
  if (!interval) return;
  const operations: readonly OperationJson[] = affordances
    ? [...affordances.available, ...affordances.unavailable]
    : [];
  const down = outages(store, subgraphs, interval, 'down');
  const rows = down.flatMap(({ subgraph, bands, ms }) => {
    const ops = operations.filter((op) => op.subgraph === subgraph);
    const cells = (op: OperationJson | undefined) => [
      h('th', { scope: 'row', className: 'name' }, op ? h('code', { text: op.name }) : '\u2014'),
      h('td', { text: op ? op.kind.toLowerCase() : '' }),
      h('td', { text: subgraph }),
      h('td', { text: `${lasting(ms)} (${spans(bands)})` }),
      h('td', { className: 'reason', text: reasons(bands) }),
    ];
    return (ops.length ? ops : [undefined]).map((op) =>
      h('tr', { 'data-unavailable-operation': op?.name ?? '', 'data-of-subgraph': subgraph }, ...cells(op)),
    );
  });
  $('interval-body').replaceChildren(...rows);
  $('interval-table').hidden = rows.length === 0;
  const { fromMs, toMs } = interval;
  $('interval-title').textContent =
    `Unavailable between ${clock(fromMs)} and ${clock(toMs)} (${lasting(toMs - fromMs)})`;
  const rolling = outages(store, subgraphs, interval, 'rolling');
  const unknown = outages(store, subgraphs, interval, 'unknown');
  $('interval-note').textContent = [
    rows.length ? '' : 'Every operation could be called throughout this interval.',
    rolling.length
      ? `Rolling out meanwhile (what only some of its versions have was unavailable): ${rolling.map((r) => `${r.subgraph} ${lasting(r.ms)}`).join(', ')}.`
      : '',
    unknown.length ? `The gateway's record does not cover all of it for ${unknown.length} subgraph(s).` : '',
  ]
    .filter(Boolean)
    .join(' ');
}
