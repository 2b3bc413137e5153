import { $ } from './dom.js';
import type { GraphNode, NodeKind } from './graphModel.js';
import { fit, s, tooltip } from './svg.js';

const ROW = 22;
const NODE_H = 18;
const COLUMNS: Readonly<Record<NodeKind, { x: number; width: number }>> = {
  subgraph: { x: 0, width: 200 },
  backend: { x: 270, width: 180 },
  workload: { x: 520, width: 300 },
};
const WIDTH = 820;
/** Characters that fit a node of this width at the graph's font size. */
const charsFor = (width: number) => Math.floor((width - 28) / 6.6);
const STATE_TEXT = { up: 'up', down: 'down', rolling: 'rolling out', short: 'short of replicas' } as const;

/**
 * Rows of the layered part: subgraphs by name; backends and workloads each at the mean row
 * of what needs them (fewer crossings), pushed down where they would overlap.
 */
function layout(nodes: readonly GraphNode[]): Map<string, number> {
  const y = new Map<string, number>();
  nodes.filter((n) => n.kind === 'subgraph').forEach((n, i) => y.set(n.key, i * ROW));
  for (const kind of ['backend', 'workload'] as const) {
    const placed = nodes
      .filter((n) => n.kind === kind)
      .map((n) => {
        const rows = [...n.parents].flatMap((p) => (y.has(p) ? [y.get(p)!] : []));
        return { n, at: rows.length ? rows.reduce((a, b) => a + b, 0) / rows.length : 0 };
      })
      .sort((a, b) => a.at - b.at || a.n.label.localeCompare(b.n.label));
    let next = 0;
    for (const { n, at } of placed) {
      const row = Math.max(next, Math.round(at / ROW) * ROW);
      y.set(n.key, row);
      next = row + ROW;
    }
  }
  return y;
}

function nodeElement(n: GraphNode, x: number, y: number, width: number): SVGGElement {
  const icon = n.state === 'down' ? '\u2717' : n.state === 'up' ? '\u2713' : '\u25d0';
  return s(
    'g',
    {
      class: `node ${n.kind} ${n.state}`,
      'data-node': n.key,
      'data-state': n.state,
      transform: `translate(${x},${y})`,
    },
    tooltip([`${STATE_TEXT[n.state]}`, ...n.detail].join('\n')),
    s('rect', { width, height: NODE_H, rx: 4 }),
    s('text', { x: 6, y: NODE_H - 5 }, `${icon} ${fit(n.label, charsFor(width))}`),
  );
}

/**
 * Draws the dependency graph into #graph as one SVG: subgraph → backend → workload in three
 * columns, edges as curves; subgraphs that need nothing else (the synthetic ones, or a
 * cluster-less setup without backends) as a grid of chips below, so a hundred of them stay
 * on one screen. Hovering a node highlights what it needs and what needs it.
 */
export function renderGraph(all: ReadonlyMap<string, GraphNode>, visible: (n: GraphNode) => boolean): void {
  const nodes = [...all.values()].filter(visible);
  const shown = new Set(nodes.map((n) => n.key));
  const needed = new Set(nodes.flatMap((n) => [...n.parents]));
  const layered = nodes.filter((n) => n.kind !== 'subgraph' || needed.has(n.key));
  const alone = nodes.filter((n) => n.kind === 'subgraph' && !needed.has(n.key));
  const y = layout(layered);
  const layeredHeight = layered.length ? Math.max(...y.values()) + ROW : 0;

  const edges = s('g', { class: 'edges' });
  const boxes = s('g', { class: 'nodes' });
  for (const n of layered) {
    const column = COLUMNS[n.kind];
    boxes.append(nodeElement(n, column.x, y.get(n.key)!, column.width));
    for (const parent of n.parents) {
      if (!shown.has(parent)) continue;
      const from = COLUMNS[all.get(parent)!.kind];
      const x1 = from.x + from.width;
      const y1 = y.get(parent)! + NODE_H / 2;
      const x2 = column.x;
      const y2 = y.get(n.key)! + NODE_H / 2;
      const bend = (x2 - x1) / 2;
      edges.append(
        s('path', {
          class: `edge ${n.state}`,
          'data-from': parent,
          'data-to': n.key,
          d: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`,
        }),
      );
    }
  }
  const chipWidth = COLUMNS.subgraph.width - 40;
  const perRow = Math.floor(WIDTH / (chipWidth + 10));
  const gridTop = layeredHeight && alone.length ? layeredHeight + ROW : layeredHeight;
  alone.forEach((n, i) =>
    boxes.append(nodeElement(n, (i % perRow) * (chipWidth + 10), gridTop + Math.floor(i / perRow) * ROW, chipWidth)),
  );
  const height = Math.max(ROW, gridTop + Math.ceil(alone.length / perRow) * ROW);
  const svg = s(
    'svg',
    {
      width: WIDTH,
      height,
      viewBox: `0 0 ${WIDTH} ${height}`,
      role: 'img',
      'aria-label': `dependency graph: ${nodes.length} nodes (the tables below say the same in text)`,
    },
    edges,
    boxes,
  );
  svg.addEventListener('pointerover', (event) => highlight(svg, all, event.target));
  svg.addEventListener('pointerleave', () => highlight(svg, all, null));
  $('graph').replaceChildren(svg);
}

/** Marks the node under the pointer, everything it needs and everything that needs it. */
function highlight(svg: SVGSVGElement, all: ReadonlyMap<string, GraphNode>, target: EventTarget | null): void {
  const key = target instanceof Element ? target.closest('[data-node]')?.getAttribute('data-node') : null;
  svg.classList.toggle('focused', !!key);
  const related = new Set<string>();
  if (key) {
    const up = (k: string) => {
      if (related.has(k)) return;
      related.add(k);
      all.get(k)?.parents.forEach(up);
    };
    up(key);
    const down = (k: string) => {
      for (const n of all.values()) {
        if (n.parents.has(k) && !related.has(n.key)) {
          related.add(n.key);
          down(n.key);
        }
      }
    };
    down(key);
  }
  svg.querySelectorAll('[data-node]').forEach((el) => {
    el.classList.toggle('related', related.has(el.getAttribute('data-node')!));
  });
  svg.querySelectorAll('.edge').forEach((el) => {
    const on = related.has(el.getAttribute('data-from')!) && related.has(el.getAttribute('data-to')!);
    el.classList.toggle('related', on);
  });
}
