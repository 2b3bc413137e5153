import type { AffordancesJson, OperationArgumentJson } from './affordancesJson.js';
import { replicasOf, versionsOf } from './replicas.js';
import { textTable } from './textTable.js';

export interface RenderOptions {
  /** The gateway, named in the heading. */
  readonly url: string;
  /** Terminal width to fit; undefined for a pipe. */
  readonly width?: number;
  /** ANSI colours for up/down (a terminal without NO_COLOR). */
  readonly color: boolean;
}

/** `2026-05-01 10:11:32Z`: exact, sortable, the same in every test run's time zone. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

export function formatArguments(args: readonly OperationArgumentJson[]): string {
  if (!args.length) return '-';
  return args.map((a) => `${a.name}: ${a.type}${a.defaultValue != null ? ` = ${a.defaultValue}` : ''}`).join(', ');
}

/** Whom the gateway computed the affordances for, when it authorizes (auth configured). */
function callerLine({ caller }: AffordancesJson): string[] {
  if (!caller) return [];
  if (!caller.authenticated) return ['As: anonymous (no token; --token or AG_TOKEN sends one)'];
  return [`As: token with scopes ${caller.scopes.join(', ') || '(none the schema requires)'}`];
}

/**
 * The `client list` view: subgraphs, operations available now, those unavailable with why,
 * and, when the schema is served reduced, the fields left out and why.
 */
export function renderAffordances(affordances: AffordancesJson, options: RenderOptions): string {
  const paint = (code: number, text: string) => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const status = (up: boolean) => (up ? paint(32, 'up') : paint(31, 'down'));
  const fit = (wrapColumn: number) => ({ width: options.width, wrapColumn });

  const withReplicas = affordances.subgraphs.some((s) => replicasOf(s).length > 0);
  const withVersions = affordances.subgraphs.some((s) => versionsOf(s).length > 0);
  const subgraphs = textTable(
    [
      'subgraph',
      'status',
      'since',
      ...(withReplicas ? ['replicas'] : []),
      ...(withVersions ? ['versions'] : []),
      'reason',
    ],
    affordances.subgraphs.map((s) => [
      s.name,
      status(s.available),
      formatTime(s.since),
      ...(withReplicas ? [replicasOf(s).join('\n') || '-'] : []),
      ...(withVersions ? [versionsOf(s).join('\n') || '-'] : []),
      s.reason,
    ]),
    fit(3 + Number(withReplicas) + Number(withVersions)),
  );
  const available = textTable(
    ['operation', 'kind', 'subgraph', 'arguments'],
    affordances.available.map((op) => [op.name, op.kind.toLowerCase(), op.subgraph, formatArguments(op.arguments)]),
    fit(3),
  );
  const unavailable = affordances.unavailable.length
    ? textTable(
        ['operation', 'kind', 'subgraph', 'since', 'reason'],
        affordances.unavailable.map((op) => [
          op.name,
          op.kind.toLowerCase(),
          op.subgraph,
          formatTime(op.since),
          op.reason,
        ]),
        fit(4),
      )
    : 'none: every known operation can be called';
  const down = affordances.subgraphs.filter((s) => !s.available).length;
  const { removed, composition } = affordances;
  const reduced = removed.length
    ? [
        '',
        `Left out (${removed.length}): they need what is down`,
        textTable(
          ['element', 'kind', 'subgraph', 'reason'],
          removed.map((r) => [r.coordinate, r.kind, r.subgraph, r.reason]),
          fit(3),
        ),
      ]
    : [];
  const previous =
    composition.state === 'PREVIOUS'
      ? ['', `The available subgraphs do not compose; the previous schema is served: ${composition.errors.join('; ')}`]
      : [];
  return [
    `Gateway ${options.url} · schema ${affordances.schemaVersion} · loaded ${formatTime(affordances.schemaLoadedAt)}`,
    ...callerLine(affordances),
    '',
    `Subgraphs (${affordances.subgraphs.length}, ${down} down)`,
    subgraphs,
    '',
    `Available now (${affordances.available.length})`,
    available,
    '',
    `Unavailable (${affordances.unavailable.length})`,
    unavailable,
    ...reduced,
    ...previous,
  ].join('\n');
}
