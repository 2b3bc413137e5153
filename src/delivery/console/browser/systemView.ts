import type { AffordancesJson, HistoryEntryJson } from './affordancesJson.js';
import { $ } from './dom.js';
import { fetchHistory } from './fetchHistory.js';
import { graphModel, type GraphNode } from './graphModel.js';
import { renderGraph } from './graphView.js';
import { HistoryStore, WINDOW_MS } from './historyStore.js';
import { markFirst, measureLast } from './performanceMarks.js';
import { renderInterval } from './intervalOperations.js';
import { Timeline } from './timelineView.js';
import { ViewFilter } from './viewFilter.js';

/** The timeline slides with the clock: one pixel is a few seconds of an hour. */
const SLIDE_MS = 10_000;

/**
 * The pictures of the system: the dependency graph (from each state of the affordances),
 * the availability timeline of the last hour (from the gateway's history, read on every
 * connection of the change stream and followed through its `history` events), the
 * operations unavailable in a selected interval, and the filter over them.
 */
export class SystemView {
  private readonly store = new HistoryStore();
  private readonly filter = new ViewFilter(() => this.render());
  private readonly timeline = new Timeline(
    () => this.renderInterval(),
    () => this.renderTimeline(),
  );
  private affordances: AffordancesJson | null = null;
  private nodes: ReadonlyMap<string, GraphNode> = new Map();
  private historyLoad = new AbortController();
  private historyProblem = '';

  constructor() {
    setInterval(() => this.renderTimeline(), SLIDE_MS);
  }

  show(affordances: AffordancesJson): void {
    this.affordances = affordances;
    this.nodes = graphModel(affordances);
    this.render();
  }

  addHistory(entries: readonly HistoryEntryJson[]): void {
    this.store.add(entries, Date.now());
    this.renderTimeline();
  }

  /** Reads the last hour again (a new connection may have missed entries), as the caller of `headers`. */
  reloadHistory(headers: Readonly<Record<string, string>>): void {
    this.historyLoad.abort();
    const load = (this.historyLoad = new AbortController());
    fetchHistory(headers, load.signal).then(
      (history) => {
        this.historyProblem = '';
        this.store.load(history, Date.now());
        this.renderTimeline();
        markFirst('console first timeline');
      },
      (error: Error) => {
        if (load.signal.aborted) return;
        this.historyProblem = `history unavailable: ${error.message}`;
        this.renderTimeline();
      },
    );
  }

  private render(): void {
    this.renderGraph();
    this.renderTimeline();
  }

  private renderGraph(): void {
    const shown = new Set(this.subgraphs().filter((name) => this.filter.shows(name, this.problem(name))));
    renderGraph(this.nodes, (n) => [...n.subgraphs].some((name) => shown.has(name)));
    const count = (kind: GraphNode['kind'], state?: GraphNode['state']) =>
      [...this.nodes.values()].filter((n) => n.kind === kind && (!state || n.state === state)).length;
    const some = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
    $('graph-summary').textContent =
      `${some(count('subgraph'), 'subgraph')} (${count('subgraph', 'down')} down, ${count('subgraph', 'rolling')} rolling out), ` +
      `${some(count('backend'), 'backend')}, ${some(count('workload'), 'workload')}` +
      (shown.size < count('subgraph') ? `; ${shown.size} shown` : '');
  }

  /** Its duration is the Performance timeline's one `console timeline` measure. */
  private renderTimeline(): void {
    const started = performance.now();
    const nowMs = Date.now();
    const lanes = this.subgraphs().filter((name) => this.filter.shows(name, this.problem(name, nowMs)));
    this.timeline.render(this.store, lanes, nowMs);
    $('timeline-summary').textContent = this.historyProblem || `${this.store.size()} transitions of the last hour held`;
    this.renderInterval();
    measureLast('console timeline', started);
  }

  private renderInterval(): void {
    renderInterval(this.timeline.selected, this.store, this.subgraphs(), this.affordances);
  }

  /** Every subgraph of the current state and of the last hour, by name. */
  private subgraphs(): string[] {
    const names = new Set([...(this.affordances?.subgraphs.map((s) => s.name) ?? []), ...this.store.subgraphs()]);
    return [...names].sort((a, b) => a.localeCompare(b));
  }

  /** Not up now, or not up for all of the last hour. */
  private problem(name: string, nowMs = Date.now()): boolean {
    const state = this.nodes.get(`subgraph:${name}`)?.state;
    if (state !== undefined && state !== 'up') return true;
    return this.store.bands(name, nowMs - WINDOW_MS, nowMs).some((b) => b.state === 'down' || b.state === 'rolling');
  }
}
