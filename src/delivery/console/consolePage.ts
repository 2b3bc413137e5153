import { createHash } from 'node:crypto';
import { consoleScript } from './consoleScript.js';
import { consoleStyle } from './consoleStyle.js';

export interface ConsolePage {
  readonly html: string;
  /** Allows exactly this page's inline script and style, and requests to its own origin only. */
  readonly contentSecurityPolicy: string;
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/**
 * The console as one self-contained page: inline CSS and script, no external requests, so
 * it works offline and inside a cluster. Links are relative, so it also works behind a
 * proxy that mounts the gateway under a path prefix.
 */
export function consolePage(): ConsolePage {
  const script = consoleScript();
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>affordance-gateway console</title>
<link rel="icon" href="data:,">
<style>${consoleStyle}</style>
</head>
<body>
<header>
  <h1>affordance-gateway</h1>
  <span>stream: <span id="connection" class="badge connecting" role="status" aria-live="polite">connecting…</span></span>
  <span class="muted" id="schema"></span>
  <span class="muted" id="updated"></span>
  <span id="caller" role="status" aria-live="polite"></span>
  <form id="token-form" class="row" autocomplete="off">
    <label for="token">Token</label>
    <input id="token" type="password" spellcheck="false" placeholder="a JWT, sent as Authorization: Bearer" aria-describedby="token-note">
    <button type="submit">Use</button>
    <button type="button" class="secondary" id="token-clear">Clear</button>
    <span class="muted" id="token-note">kept in this tab only</span>
  </form>
</header>
<main>
  <div class="row" id="view-filter">
    <label for="filter">Filter subgraphs</label>
    <input id="filter" type="search" spellcheck="false" autocomplete="off" placeholder="name contains…">
    <label class="check"><input type="checkbox" id="problems-only"> only those not up all hour</label>
  </div>
  <section aria-labelledby="graph-title">
    <h2 id="graph-title">Dependencies <span class="muted" id="graph-summary"></span></h2>
    <p class="legend muted">subgraph → backend → workload (Deployment, StatefulSet) with replicas available/desired;
      <span class="key up">✓ up</span> <span class="key down">✗ down</span> <span class="key rolling">◐ rolling out</span>
      <span class="key short">◐ short of replicas</span>; hover a node for its checks</p>
    <div class="picture" id="graph"></div>
  </section>
  <section aria-labelledby="timeline-title">
    <h2 id="timeline-title">Availability timeline <span class="muted" id="timeline-summary"></span></h2>
    <p class="legend muted"><span class="key up">up</span> <span class="key down">down</span>
      <span class="key rolling">rolling out</span>, blank: not known; hover a band for its reason, drag across the
      lanes or click a band to select an interval</p>
    <div class="row" id="interval-presets">
      <label for="timeline-span">Show the last</label>
      <select id="timeline-span"><option value="60">hour</option><option value="15">15 minutes</option><option value="5">5 minutes</option><option value="1">minute</option></select>
      <span class="muted">select</span>
      <button type="button" class="secondary" data-minutes="5">last 5 min</button>
      <button type="button" class="secondary" data-minutes="15">last 15 min</button>
      <button type="button" class="secondary" data-minutes="60">last hour</button>
      <button type="button" class="secondary" id="interval-clear">Clear selection</button>
    </div>
    <div id="timeline-axis"></div>
    <div class="picture" id="timeline"></div>
    <div id="interval" hidden>
      <h3 id="interval-title"></h3>
      <table id="interval-table">
        <thead><tr><th scope="col">Operation</th><th scope="col">Kind</th><th scope="col">Subgraph</th><th scope="col">Subgraph down for</th><th scope="col">Reason</th></tr></thead>
        <tbody id="interval-body"></tbody>
      </table>
      <p class="muted" id="interval-note" role="status" aria-live="polite"></p>
    </div>
  </section>
  <section aria-labelledby="subgraphs-title">
    <h2 id="subgraphs-title">Subgraphs <span class="muted" id="subgraphs-summary"></span></h2>
    <table id="subgraphs">
      <thead><tr><th scope="col">Subgraph</th><th scope="col">Status</th><th scope="col">Since</th><th scope="col">Replicas</th><th scope="col">Reason</th></tr></thead>
      <tbody id="subgraphs-body"></tbody>
    </table>
  </section>
  <section aria-labelledby="operations-title">
    <h2 id="operations-title">Operations <span class="muted" id="operations-summary"></span></h2>
    <table id="operations">
      <thead><tr><th scope="col">Operation</th><th scope="col">Kind</th><th scope="col">Subgraph</th><th scope="col">Arguments</th><th scope="col">Status</th><th scope="col"><span class="muted">Runner</span></th></tr></thead>
      <tbody id="operations-body"></tbody>
    </table>
  </section>
  <section aria-labelledby="removed-title" id="removed-section" hidden>
    <h2 id="removed-title">Left out <span class="muted" id="removed-summary"></span></h2>
    <table id="removed">
      <thead><tr><th scope="col">Element</th><th scope="col">Kind</th><th scope="col">Subgraph</th><th scope="col">Reason</th></tr></thead>
      <tbody id="removed-body"></tbody>
    </table>
  </section>
  <section aria-labelledby="runner-title">
    <h2 id="runner-title">Run an operation</h2>
    <form id="runner">
      <div>
        <label for="operation">Operation</label>
        <select id="operation" aria-describedby="description operation-note"></select>
        <p class="muted" id="description"></p>
        <p class="note" id="operation-note" role="alert"></p>
      </div>
      <div>
        <span class="label" id="document-label">Document</span>
        <pre id="document" tabindex="0" aria-labelledby="document-label"></pre>
      </div>
      <div>
        <label for="variables">Variables (JSON)</label>
        <textarea id="variables" spellcheck="false" autocomplete="off"></textarea>
      </div>
      <div class="row">
        <button type="submit" id="run" disabled>Run</button>
        <span id="run-status" role="status" aria-live="polite"></span>
      </div>
      <div>
        <span class="label" id="result-label">Result</span>
        <pre id="result" tabindex="0" aria-labelledby="result-label"></pre>
      </div>
    </form>
  </section>
</main>
<script>${script}</script>
</body>
</html>
`;
  const contentSecurityPolicy = [
    "default-src 'none'",
    `script-src ${sha256(script)}`,
    `style-src ${sha256(consoleStyle)}`,
    "connect-src 'self'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, contentSecurityPolicy };
}
