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
