/** Charts as SVG text: no image library, readable in any browser and on GitHub. */

const COLORS = ['#4c78a8', '#f58518', '#54a24b', '#b279a2', '#e45756', '#72b7b2'];
const FONT = 'font-family="system-ui, sans-serif"';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A round axis maximum above `value`: 1, 2 or 5 times a power of ten. */
function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].map((m) => m * power).find((m) => m >= value) ?? 10 * power) as number;
}

function legend(series: readonly string[], x: number, y: number): string {
  return series
    .map(
      (name, i) =>
        `<rect x="${x}" y="${y + i * 18}" width="12" height="12" fill="${COLORS[i % COLORS.length]}"/>` +
        `<text x="${x + 18}" y="${y + i * 18 + 10}" font-size="12" ${FONT}>${escape(name)}</text>`,
    )
    .join('');
}

function gridLines(max: number, left: number, top: number, width: number, height: number, unit: string): string {
  return [0, 0.25, 0.5, 0.75, 1]
    .map((f) => {
      const y = top + height - f * height;
      const label = `${Number((max * f).toPrecision(3))}${unit}`;
      return (
        `<line x1="${left}" x2="${left + width}" y1="${y}" y2="${y}" stroke="#ddd"/>` +
        `<text x="${left - 6}" y="${y + 4}" font-size="11" text-anchor="end" ${FONT}>${label}</text>`
      );
    })
    .join('');
}

export interface BarChart {
  title: string;
  unit: string;
  /** Groups along the x axis (scenarios). */
  groups: readonly string[];
  /** One bar per series in each group (contenders). */
  series: readonly string[];
  /** values[group][series]; undefined leaves a gap. */
  values: readonly (readonly (number | undefined)[])[];
}

/** Grouped bars, one group per scenario, one colour per contender, value on each bar. */
export function barChart(chart: BarChart): string {
  const [left, top, width, height] = [60, 40, 560, 260];
  const max = niceMax(Math.max(...chart.values.flat().filter((v): v is number => v !== undefined)));
  const groupWidth = width / chart.groups.length;
  const barWidth = (groupWidth * 0.8) / chart.series.length;
  const bars = chart.groups
    .map((group, g) => {
      const x0 = left + g * groupWidth + groupWidth * 0.1;
      const rects = chart.series
        .map((_, s) => {
          const value = chart.values[g]?.[s];
          if (value === undefined) return '';
          const h = (value / max) * height;
          const x = x0 + s * barWidth;
          return (
            `<rect x="${x.toFixed(1)}" y="${(top + height - h).toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${COLORS[s % COLORS.length]}"/>` +
            `<text x="${(x + barWidth / 2 - 1).toFixed(1)}" y="${(top + height - h - 3).toFixed(1)}" font-size="10" text-anchor="middle" ${FONT}>${Math.round(value)}</text>`
          );
        })
        .join('');
      const label = `<text x="${(left + g * groupWidth + groupWidth / 2).toFixed(1)}" y="${top + height + 18}" font-size="12" text-anchor="middle" ${FONT}>${escape(group)}</text>`;
      return rects + label;
    })
    .join('');
  return svg(
    820,
    340,
    `<text x="${left}" y="22" font-size="15" font-weight="bold" ${FONT}>${escape(chart.title)}</text>` +
      gridLines(max, left, top, width, height, chart.unit) +
      bars +
      legend(chart.series, left + width + 20, top),
  );
}

export interface LineChart {
  title: string;
  unit: string;
  xLabel: string;
  /** x values (subgraph counts), shown evenly spaced. */
  x: readonly number[];
  series: readonly { name: string; values: readonly number[] }[];
  /** Horizontal reference lines (targets). */
  marks?: readonly { label: string; value: number }[];
}

/** Lines over evenly spaced x values, with points, values and optional target lines. */
export function lineChart(chart: LineChart): string {
  const [left, top, width, height] = [60, 40, 520, 260];
  const all = [...chart.series.flatMap((s) => s.values), ...(chart.marks ?? []).map((m) => m.value)];
  const max = niceMax(Math.max(...all.filter(Number.isFinite)));
  const xAt = (i: number) => left + (chart.x.length === 1 ? width / 2 : (i / (chart.x.length - 1)) * width);
  const yAt = (v: number) => top + height - (v / max) * height;
  const lines = chart.series
    .map((series, s) => {
      const color = COLORS[s % COLORS.length];
      const points = series.values.map((v, i) => `${xAt(i).toFixed(1)},${yAt(v).toFixed(1)}`).join(' ');
      const dots = series.values
        .map(
          (v, i) =>
            `<circle cx="${xAt(i).toFixed(1)}" cy="${yAt(v).toFixed(1)}" r="3" fill="${color}"/>` +
            `<text x="${(xAt(i) + 5).toFixed(1)}" y="${(yAt(v) - 5).toFixed(1)}" font-size="10" ${FONT}>${Math.round(v)}</text>`,
        )
        .join('');
      return `<polyline points="${points}" fill="none" stroke="${color}" stroke-width="2"/>${dots}`;
    })
    .join('');
  const marks = (chart.marks ?? [])
    .map(
      (mark) =>
        `<line x1="${left}" x2="${left + width}" y1="${yAt(mark.value)}" y2="${yAt(mark.value)}" stroke="#e45756" stroke-dasharray="4 3"/>` +
        `<text x="${left + width - 4}" y="${yAt(mark.value) - 4}" font-size="10" text-anchor="end" fill="#e45756" ${FONT}>${escape(mark.label)}</text>`,
    )
    .join('');
  const ticks = chart.x
    .map(
      (x, i) =>
        `<text x="${xAt(i).toFixed(1)}" y="${top + height + 18}" font-size="12" text-anchor="middle" ${FONT}>${x}</text>`,
    )
    .join('');
  return svg(
    820,
    350,
    `<text x="${left}" y="22" font-size="15" font-weight="bold" ${FONT}>${escape(chart.title)}</text>` +
      gridLines(max, left, top, width, height, chart.unit) +
      marks +
      lines +
      ticks +
      `<text x="${left + width / 2}" y="${top + height + 38}" font-size="12" text-anchor="middle" ${FONT}>${escape(chart.xLabel)}</text>` +
      legend(
        chart.series.map((s) => s.name),
        left + width + 20,
        top,
      ),
  );
}

function svg(width: number, height: number, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><rect width="100%" height="100%" fill="white"/>${body}</svg>\n`;
}
