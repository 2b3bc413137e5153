/**
 * The web console's browser script (bundled by esbuild into one inline script, see
 * ../consoleScript.ts). It follows the change stream and renders with DOM calls only
 * (never innerHTML), so subgraph reasons and results cannot inject markup.
 */
import type { AffordancesJson } from './affordancesJson.js';
import { followChangeStream } from './changeStream.js';
import { $, refreshTimes, time } from './dom.js';
import { renderOperations } from './operationsTable.js';
import { renderRemoved } from './removedTable.js';
import { Runner } from './runner.js';
import { renderSubgraphs } from './subgraphsTable.js';

const TIMES_REFRESH_MS = 10_000;

const runner = new Runner();
let current: AffordancesJson | null = null;

function tryOperation(name: string): void {
  runner.select(name);
  $('variables').focus();
}

function render(affordances: AffordancesJson): void {
  current = affordances;
  $('schema').textContent = `schema ${affordances.schemaVersion.slice(0, 12)}`;
  $('updated').replaceChildren('loaded ', time(affordances.schemaLoadedAt));
  renderSubgraphs(affordances);
  renderOperations(affordances, tryOperation);
  renderRemoved(affordances);
  runner.show(affordances);
}

setInterval(() => {
  if (current) refreshTimes();
}, TIMES_REFRESH_MS);
followChangeStream(render);
