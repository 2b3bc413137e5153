/**
 * The web console's browser script (bundled by esbuild into one inline script, see
 * ../consoleScript.ts). It follows the change stream, as the caller of the token given
 * if any, and renders with DOM calls only (never innerHTML), so subgraph reasons and
 * results cannot inject markup.
 */
import type { AffordancesJson } from './affordancesJson.js';
import { renderCaller } from './callerLine.js';
import { followChangeStream } from './changeStream.js';
import { $, refreshTimes, time } from './dom.js';
import { renderOperations } from './operationsTable.js';
import { markFirst, measureLast } from './performanceMarks.js';
import { renderRemoved } from './removedTable.js';
import { Runner } from './runner.js';
import { renderSubgraphs } from './subgraphsTable.js';
import { SystemView } from './systemView.js';
import { TokenField } from './token.js';

const TIMES_REFRESH_MS = 10_000;

let current: AffordancesJson | null = null;
let stream = new AbortController();
const follow = () =>
  void followChangeStream(
    token.headers(),
    {
      affordances: render,
      history: (entries) => system.addHistory(entries),
      connected: () => system.reloadHistory(token.headers()),
    },
    stream.signal,
  );
/** A new token: the stream starts over with it (its view is this caller's). */
const token = new TokenField(() => {
  stream.abort();
  stream = new AbortController();
  follow();
});
const runner = new Runner(() => token.headers());
const system = new SystemView();

function tryOperation(name: string): void {
  runner.select(name);
  $('variables').focus();
}

/** Draws a new state; its duration is the Performance timeline's one `console render` measure. */
function render(affordances: AffordancesJson): void {
  const started = performance.now();
  current = affordances;
  $('schema').textContent = `schema ${affordances.schemaVersion.slice(0, 12)}`;
  $('updated').replaceChildren('loaded ', time(affordances.schemaLoadedAt));
  renderCaller(affordances);
  renderSubgraphs(affordances);
  renderOperations(affordances, tryOperation);
  renderRemoved(affordances);
  runner.show(affordances);
  system.show(affordances);
  measureLast('console render', started);
  markFirst('console first render');
}

setInterval(() => {
  if (current) refreshTimes();
}, TIMES_REFRESH_MS);
follow();
