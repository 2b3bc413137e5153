/**
 * Server-Sent Events framing (WHATWG HTML, "server-sent events"): the few frame kinds the
 * change stream writes. Every frame ends with a blank line, so a client's parser never
 * waits for the next frame to see this one.
 */

/**
 * An event; `data` may span lines, each becomes its own `data:` field. Without an id the
 * client's last event id stays as it was.
 */
export function eventFrame(event: string, id: string | undefined, data: string): string {
  const lines = data.split(/\r\n|\r|\n/).map((line) => `data: ${line}\n`);
  return `event: ${event}\n${id === undefined ? '' : `id: ${id}\n`}${lines.join('')}\n`;
}

/** A comment line: ignored by clients, keeps proxies and load balancers from timing out. */
export function commentFrame(text: string): string {
  return `: ${text.replace(/[\r\n]+/g, ' ')}\n\n`;
}

/** How long a client should wait before reconnecting after the stream ends. */
export function retryFrame(ms: number): string {
  return `retry: ${Math.max(0, Math.round(ms))}\n\n`;
}
