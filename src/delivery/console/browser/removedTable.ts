import type { AffordancesJson } from './affordancesJson.js';
import { $, h } from './dom.js';

/**
 * The "left out" table: elements of available subgraphs the served schema leaves out
 * because they need a subgraph that is down, each with why. Hidden while there are none;
 * it also says when nothing composes and the previous schema is kept.
 */
export function renderRemoved(a: AffordancesJson): void {
  const previous = a.composition.state === 'PREVIOUS';
  $('removed-section').hidden = a.removed.length === 0 && !previous;
  $('removed-body').replaceChildren(
    ...a.removed.map((r) =>
      h(
        'tr',
        { 'data-coordinate': r.coordinate },
        h('th', { scope: 'row', className: 'name', text: r.coordinate }),
        h('td', { text: r.kind }),
        h('td', { text: r.subgraph }),
        h('td', { className: 'reason', text: r.reason }),
      ),
    ),
  );
  $('removed-summary').textContent = previous
    ? `the available subgraphs do not compose; the previous schema is served (${a.composition.errors.join('; ')})`
    : `${a.removed.length} left out: they need what is down`;
}
