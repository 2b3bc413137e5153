import type { AffordancesJson, ArgumentJson, OperationJson } from './affordancesJson.js';
import { $, badge, h, time, type Props } from './dom.js';

function argumentsText(args: readonly ArgumentJson[]): string {
  if (!args.length) return '\u2014';
  return args.map((a) => `${a.name}: ${a.type}${a.defaultValue != null ? ` = ${a.defaultValue}` : ''}`).join(', ');
}

/** A row's first cells, the same for available and unavailable operations: name, kind, subgraph, arguments. */
function signatureCells(op: OperationJson): HTMLElement[] {
  return [
    h('th', { scope: 'row', className: 'name' }, h('code', { text: op.name })),
    h('td', { text: op.kind.toLowerCase() }),
    h('td', { text: op.subgraph }),
    h('td', null, h('code', { text: argumentsText(op.arguments) })),
  ];
}

const tryButton = (props: Props<'button'>) =>
  h('td', null, h('button', { type: 'button', className: 'secondary', text: 'Try', ...props }));

/**
 * The operations table: available ones with a Try button (`onTry`), unavailable ones
 * disabled with the kind of reason (to this caller: UNAUTHENTICATED, FORBIDDEN; to
 * everyone: SUBGRAPH_DOWN, …) and the reason.
 */
export function renderOperations(a: AffordancesJson, onTry: (name: string) => void): void {
  const available = a.available.map((op) =>
    h(
      'tr',
      { 'data-operation': op.name, 'data-available': 'true' },
      ...signatureCells(op),
      h('td', null, badge(true, 'available', '')),
      tryButton({ 'aria-label': `Try ${op.name} in the runner`, onclick: () => onTry(op.name) }),
    ),
  );
  const unavailable = a.unavailable.map((op) =>
    h(
      'tr',
      {
        className: 'unavailable',
        'data-operation': op.name,
        'data-available': 'false',
        'data-reason-kind': op.reasonKind,
      },
      ...signatureCells(op),
      h(
        'td',
        { className: 'reason' },
        badge(false, '', 'unavailable'),
        ' ',
        h('code', { className: 'kind', text: op.reasonKind }),
        ' ',
        op.reason,
        ' (',
        time(op.since),
        ')',
      ),
      tryButton({ disabled: true, title: op.reason, 'aria-label': `${op.name} is unavailable: ${op.reason}` }),
    ),
  );
  $('operations-body').replaceChildren(...available, ...unavailable);
  $('operations-summary').textContent = `${a.available.length} available, ${a.unavailable.length} unavailable`;
}
