/**
 * Headers that identify a request rather than ask anything of the subgraph: two fetches
 * that differ only in them get the same answer. Every other header is part of the key.
 */
const OBSERVABILITY_HEADERS = new Set(['x-request-id', 'traceparent', 'tracestate', 'baggage']);

/**
 * What makes two subgraph fetches the same fetch: the body (printed operation, operation
 * name, variables, extensions; one data source per subgraph, so the subgraph too) and
 * every header sent with it but those in OBSERVABILITY_HEADERS, names lower-cased and sorted.
 */
export function sharingKey(body: string, headers: Readonly<Record<string, string>>): string {
  const asked = Object.entries(headers)
    .map(([name, value]) => [name.toLowerCase(), value] as const)
    .filter(([name]) => !OBSERVABILITY_HEADERS.has(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // The headers' JSON holds no raw newline, so the first one ends it; the body is not copied through JSON.
  return `${JSON.stringify(asked)}\n${body}`;
}

/**
 * Shares one upstream fetch among identical requests in flight at the same moment: while
 * a query with a given body is on its way to a subgraph, the same query from other
 * clients waits for that answer instead of sending its own. Under load (many clients
 * asking the same thing) this takes most of the work off the subgraph, as Hive Gateway
 * does by default. Nothing is cached: the entry is gone once the answer is in.
 */
export class InflightFetches<T> {
  private readonly inflight = new Map<string, Promise<T>>();

  /** Runs `fetch` unless an identical one (same key) is in flight; `shared` tells which happened. */
  async run(key: string, fetch: () => Promise<T>): Promise<{ value: T; shared: boolean }> {
    const pending = this.inflight.get(key);
    if (pending) return { value: await pending, shared: true };
    const started = fetch();
    this.inflight.set(key, started);
    try {
      return { value: await started, shared: false };
    } finally {
      this.inflight.delete(key);
    }
  }
}
