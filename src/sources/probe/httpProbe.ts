import { describeNetworkError, retryIfConnectionClosed } from '../../platform/http/networkError.js';
import type { ProbeResult, ProbeTarget } from './probe.js';

/**
 * Probes a GraphQL endpoint with `{ __typename }`: up when it answers 200 with data,
 * which proves the process serves GraphQL, not merely that a port is open. Reasons name
 * no host, since they reach clients.
 */
export function httpGraphQLProbe(subgraph: string, url: string, timeoutMs: number): ProbeTarget {
  return {
    id: `http ${subgraph}`,
    subgraphs: [subgraph],
    close: () => {},
    probe: async (): Promise<ProbeResult> => {
      try {
        const response = await retryIfConnectionClosed(() =>
          fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{"query":"{ __typename }"}',
            signal: AbortSignal.timeout(timeoutMs),
          }),
        );
        const body = (await response.json().catch(() => undefined)) as { data?: { __typename?: string } } | undefined;
        if (response.status === 200 && body?.data?.__typename) return { ok: true, detail: 'answers GraphQL' };
        return { ok: false, reason: `answered HTTP ${response.status} without GraphQL data` };
      } catch (error) {
        return { ok: false, reason: describeNetworkError(error, timeoutMs) };
      }
    },
  };
}
