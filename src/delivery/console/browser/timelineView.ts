import { $ } from './dom.js';
import { WINDOW_MS, type BandState, type HistoryStore } from './historyStore.js';
import { fit, s, tooltip } from './svg.js';
import { clock, lasting } from './timeText.js';

export interface Interval {
  readonly fromMs: number;
  readonly toMs: number;
}

const LABEL_W = 170;
const LANE_H = 16;
const BAND_H = 12;
const AXIS_H = 18;
/** A pointer that moves less than this between down and up clicks (a band) instead of dragging. */
const CLICK_PX = 3;
const STATE_TEXT: Readonly<Record<BandState, string>> = {
  up: 'up',
  down: 'down',
  rolling: 'rolling out',
  unknown: 'not known',
};

/**
 * The availability timeline of the last hour (or of its last 15, 5 or 1 minutes, #timeline-span): one lane per subgraph, a band per state (up,
 * down, rolling out) with the transition's reason as its hover text. Dragging across the
 * lanes, clicking a band or a preset button selects an interval (`onSelect`).
 */
export class Timeline {
  private selection: Interval | null = null;
  private scale = { fromMs: 0, spanMs: WINDOW_MS, plotW: 1 };
  private spanMs = WINDOW_MS;
  private drawn?: { store: HistoryStore; subgraphs: readonly string[] };

  /** The width of #timeline, from a ResizeObserver: reading it while drawing would force a layout of the whole page. */
  private width = 900;

  /** `onSelect`: an interval was selected (or cleared); `onResize`: the lanes need drawing again. */
  constructor(
    private readonly onSelect: (interval: Interval | null) => void,
    onResize: () => void,
  ) {
    new ResizeObserver(([entry]) => {
      const width = Math.round(entry?.contentRect.width ?? 0);
      if (width > 0 && width !== this.width) {
        this.width = width;
        onResize();
      }
    }).observe($('timeline'));
    const span = $<HTMLSelectElement>('timeline-span');
    span.addEventListener('change', () => {
      this.spanMs = Number(span.value) * 60_000;
      if (this.drawn) this.render(this.drawn.store, this.drawn.subgraphs, Date.now());
    });
    for (const button of document.querySelectorAll<HTMLButtonElement>('#interval-presets button[data-minutes]')) {
      button.addEventListener('click', () => {
        const toMs = Date.now();
        this.select({ fromMs: toMs - Number(button.dataset.minutes) * 60_000, toMs });
      });
    }
    $('interval-clear').addEventListener('click', () => this.select(null));
  }

  get selected(): Interval | null {
    return this.selection;
  }

  /** Draws the lanes of `subgraphs` (in this order) over the span shown (the last hour at most) up to `nowMs`. */
  render(store: HistoryStore, subgraphs: readonly string[], nowMs: number): void {
    this.drawn = { store, subgraphs };
    const width = Math.max(600, this.width);
    const plotW = width - LABEL_W - 8;
    const spanMs = this.spanMs;
    const fromMs = nowMs - spanMs;
    this.scale = { fromMs, spanMs, plotW };
    const x = (ms: number) => LABEL_W + ((ms - fromMs) / spanMs) * plotW;
    const tickMs = spanMs > 15 * 60_000 ? 10 * 60_000 : spanMs > 60_000 ? 60_000 : 10_000;

    const axis = s('svg', { width, height: AXIS_H, 'aria-hidden': 'true' });
    for (let t = Math.ceil(fromMs / tickMs) * tickMs; t <= nowMs; t += tickMs) {
      if (x(t) > width - 60) break; // room for "now"
      axis.append(
        s('line', { class: 'tick', x1: x(t), x2: x(t), y1: AXIS_H - 5, y2: AXIS_H }),
        s('text', { x: x(t) + 3, y: AXIS_H - 6 }, tickMs < 60_000 ? clock(t) : clock(t).slice(0, 5)),
      );
    }
    axis.append(s('text', { x: width - 8, y: AXIS_H - 6, 'text-anchor': 'end' }, 'now'));

    const height = Math.max(LANE_H, subgraphs.length * LANE_H);
    const lanes = s('svg', {
      width,
      height,
      role: 'img',
      'aria-label': `availability of ${subgraphs.length} subgraphs over the last ${spanMs / 60_000} min; drag to select an interval`,
    });
    subgraphs.forEach((subgraph, i) => {
      const bands = store.bands(subgraph, fromMs, nowMs);
      const lane = s(
        'g',
        { class: 'lane', 'data-lane': subgraph, transform: `translate(0,${i * LANE_H})` },
        s('text', { class: 'lane-label', x: 0, y: BAND_H - 1 }, tooltip(subgraph), fit(subgraph, 24)),
        s('rect', { class: 'lane-bg', x: LABEL_W, y: 0, width: plotW, height: BAND_H }),
      );
      for (const band of bands) {
        if (band.state === 'unknown') continue;
        const what = `${subgraph} ${STATE_TEXT[band.state]} ${clock(band.fromMs)}\u2013${clock(band.toMs)} (${lasting(band.toMs - band.fromMs)})`;
        lane.append(
          s(
            'rect',
            {
              class: `band ${band.state}`,
              'data-state': band.state,
              'data-from': band.fromMs,
              'data-to': band.toMs,
              x: x(band.fromMs),
              y: 0,
              width: Math.max(1, x(band.toMs) - x(band.fromMs)),
              height: BAND_H,
            },
            tooltip(band.reason ? `${what}: ${band.reason}` : what),
          ),
        );
      }
      lanes.append(lane);
    });
    const selection = s('rect', { class: 'selection', y: 0, height, width: 0, x: 0 });
    lanes.append(selection);
    this.drawSelection(selection);
    this.followPointer(lanes, selection);
    $('timeline-axis').replaceChildren(axis);
    $('timeline').replaceChildren(lanes);
  }

  private select(interval: Interval | null): void {
    this.selection = interval && interval.toMs > interval.fromMs ? interval : null;
    const rect = document.querySelector<SVGRectElement>('#timeline rect.selection');
    if (rect) this.drawSelection(rect);
    this.onSelect(this.selection);
  }

  private drawSelection(rect: SVGRectElement): void {
    const { fromMs, spanMs, plotW } = this.scale;
    const x = (ms: number) => LABEL_W + Math.min(1, Math.max(0, (ms - fromMs) / spanMs)) * plotW;
    const sel = this.selection;
    rect.setAttribute('x', String(sel ? x(sel.fromMs) : 0));
    rect.setAttribute('width', String(sel ? Math.max(1, x(sel.toMs) - x(sel.fromMs)) : 0));
  }

  /** Drag to select; a click on a band selects the band. */
  private followPointer(svg: SVGSVGElement, rect: SVGRectElement): void {
    const timeAt = (event: PointerEvent) => {
      const left = svg.getBoundingClientRect().left;
      const { fromMs, spanMs, plotW } = this.scale;
      const fraction = Math.min(1, Math.max(0, (event.clientX - left - LABEL_W) / plotW));
      return fromMs + fraction * spanMs;
    };
    let start: { x: number; ms: number } | null = null;
    svg.addEventListener('pointerdown', (event) => {
      if (event.clientX - svg.getBoundingClientRect().left < LABEL_W) return;
      start = { x: event.clientX, ms: timeAt(event) };
      svg.setPointerCapture(event.pointerId);
    });
    svg.addEventListener('pointermove', (event) => {
      if (!start) return;
      const ms = timeAt(event);
      this.selection = { fromMs: Math.min(start.ms, ms), toMs: Math.max(start.ms, ms) };
      this.drawSelection(rect);
    });
    svg.addEventListener('pointerup', (event) => {
      if (!start) return;
      const dragged = Math.abs(event.clientX - start.x) >= CLICK_PX;
      const ms = timeAt(event);
      const from = start.ms;
      start = null;
      if (dragged) return this.select({ fromMs: Math.min(from, ms), toMs: Math.max(from, ms) });
      const band = document
        .elementsFromPoint(event.clientX, event.clientY)
        .find((el) => el.matches('#timeline rect.band'));
      if (band)
        this.select({ fromMs: Number(band.getAttribute('data-from')), toMs: Number(band.getAttribute('data-to')) });
    });
  }
}
