/** Longest piece of client input an error message repeats. */
export const MAX_ECHO_CHARS = 100;

/**
 * A value a client sent, cut to `max` characters with an ellipsis for an error message: a
 * 100 KB id must not make a 100 KB message.
 */
export function truncate(value: string, max = MAX_ECHO_CHARS): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

/** A value a client sent, truncated and quoted for an error message. */
export function echo(value: string, max = MAX_ECHO_CHARS): string {
  return JSON.stringify(truncate(value, max));
}

/** Quoted strings (JSON escapes allowed) longer than the echo bound. */
const LONG_QUOTED = new RegExp(`"((?:[^"\\\\]|\\\\.){${MAX_ECHO_CHARS}})(?:[^"\\\\]|\\\\.)+"`, 'g');

/**
 * A message with every quoted value in it cut to the echo bound: for messages written by
 * libraries (graphql-js quotes the names and values it repeats, `"…"`), which this
 * project cannot word itself.
 */
export function boundEchoes(message: string): string {
  return message.replace(LONG_QUOTED, '"$1…"');
}
