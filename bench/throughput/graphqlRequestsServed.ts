import { ANONYMOUS } from '../../src/platform/metrics.js';

/**
 * How many named GraphQL requests a demo subgraph has answered so far: the sum of its
 * `graphql_requests_total` series (src/platform/metrics.ts) on its /metrics but the
 * anonymous ones. Every gateway names its fetches after the client's operation
 * (`CustomerById__customers__0`); the anonymous requests are the gateways' availability
 * probes and SDL reads, a few per second whatever the load.
 */
export async function graphqlRequestsServed(graphqlUrl: string): Promise<number> {
  const response = await fetch(graphqlUrl.replace(/\/graphql$/, '/metrics'), { signal: AbortSignal.timeout(5000) });
  const text = await response.text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('graphql_requests_total{') && !line.includes(`operation="${ANONYMOUS}"`)) {
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return total;
}
