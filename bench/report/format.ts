/** Number formats of the report's tables. */

export const MB = 2 ** 20;

/** `value` with `digits` decimals, or "–" when it was not measured. */
export const fixed = (value: number | undefined, digits = 0): string =>
  value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits);

/** `a / b` as "1.23×", or "–" when either is missing. */
export const ratio = (a: number | undefined, b: number | undefined): string =>
  a === undefined || b === undefined || b === 0 ? '–' : `${(a / b).toFixed(2)}×`;
