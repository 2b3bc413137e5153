import Table from 'cli-table3';

export interface TextTableOptions {
  /** Terminal width to fit; undefined (a pipe) never wraps. */
  readonly width?: number;
  /** The column that wraps when the table is too wide (reasons, arguments). */
  readonly wrapColumn?: number;
}

const MIN_WRAP_WIDTH = 16;
const PADDING = 2;

/** A boxed table (cli-table3), plain text, fitted to the terminal by wrapping one column. */
export function textTable(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  options: TextTableOptions = {},
): string {
  const natural = head.map(
    (title, i) => Math.max(visibleLength(title), ...rows.map((row) => longestLine(row[i] ?? ''))) + PADDING,
  );
  const colWidths: (number | null)[] = natural.map(() => null);
  const { width, wrapColumn } = options;
  if (width !== undefined && wrapColumn !== undefined) {
    const borders = head.length + 1;
    const total = natural.reduce((sum, w) => sum + w, 0) + borders;
    if (total > width) {
      const others = total - natural[wrapColumn]!;
      colWidths[wrapColumn] = Math.max(MIN_WRAP_WIDTH, width - others);
    }
  }
  const table = new Table({
    head: [...head],
    colWidths,
    wordWrap: true,
    wrapOnWordBoundary: true,
    style: { head: [], border: [], compact: true },
  });
  table.push(...rows.map((row) => [...row]));
  return table.toString();
}

const ANSI = /\u001b\[[0-9;]*m/g;

function visibleLength(text: string): number {
  return text.replace(ANSI, '').length;
}

function longestLine(text: string): number {
  return Math.max(0, ...text.split('\n').map(visibleLength));
}
