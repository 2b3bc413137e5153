/** Characters of a client's value an error message repeats, at most. */
export const ECHO_MAX_CHARS = 40;

/**
 * A value the client sent, quoted for an error message and cut to ECHO_MAX_CHARS with its
 * length said, so no message (or gRPC status, which travels in a header) grows with the
 * input: `"xxxx…" (200000 characters)`. Pure.
 */
export function echoed(value: string): string {
  if (value.length <= ECHO_MAX_CHARS) return JSON.stringify(value);
  return `${JSON.stringify(value.slice(0, ECHO_MAX_CHARS) + '…')} (${value.length} characters)`;
}
