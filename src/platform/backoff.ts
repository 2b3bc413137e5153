/**
 * The one retry policy of every component (watch restarts, SDL reads, state builds, the
 * local stack's restarts): exponential backoff with jitter, a random delay in [d/2, d]
 * where d = initialMs·2^attempt capped at maxMs. The jitter keeps many retries that
 * failed together (100 subgraphs behind one outage) from retrying together.
 */
export function backoff(attempt: number, initialMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return ceiling / 2 + (random() * ceiling) / 2;
}
