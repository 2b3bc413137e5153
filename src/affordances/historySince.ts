const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** RFC 3339 date-time (section 5.6), with a time zone. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * The `since` of a history request as epoch ms: an RFC 3339 time, or a duration back from
 * now (`90s`, `15m`, `1h`, `7d`). Undefined when it is neither.
 */
export function historySince(value: string, nowMs: number): number | undefined {
  const duration = DURATION.exec(value);
  if (duration) return nowMs - Number(duration[1]) * UNIT_MS[duration[2]!]!;
  if (!RFC3339.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
