import { textTable } from './textTable.js';

type Scalar = string | number | boolean | null;

const isScalar = (value: unknown): value is Scalar =>
  value === null || ['string', 'number', 'boolean'].includes(typeof value);

const isFlatObject = (value: unknown): value is Record<string, Scalar> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every(isScalar);

const cell = (value: Scalar | undefined) => (value === null || value === undefined ? '' : String(value));

/**
 * An operation's result for people: a list of flat objects as a table (one row each), a
 * flat object as field/value rows, anything nested as indented JSON.
 */
export function renderResult(value: unknown, width?: number): string {
  if (value === undefined || value === null) return 'null (no result)';
  if (isScalar(value)) return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '(empty list)';
    if (value.every(isFlatObject)) {
      const columns = [...new Set(value.flatMap((row) => Object.keys(row)))];
      return textTable(
        columns,
        value.map((row) => columns.map((column) => cell(row[column]))),
        { width, wrapColumn: columns.length - 1 },
      );
    }
    if (value.every(isScalar)) return value.map((item) => cell(item)).join('\n');
  } else if (isFlatObject(value)) {
    return textTable(
      ['field', 'value'],
      Object.entries(value).map(([field, item]) => [field, cell(item)]),
      { width, wrapColumn: 1 },
    );
  }
  return JSON.stringify(value, null, 2);
}
