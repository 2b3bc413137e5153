import { ErrorCode } from '../../platform/errorCodes.js';
import { describeNetworkError, retryIfConnectionClosed } from '../../platform/http/networkError.js';
import type { ProbeResult, ProbeTarget } from './probe.js';

/** A backend's name that may go into a reason (reasons reach clients): a plain name, not free text. */
const BACKEND_NAME = /^[a-z][a-z0-9-]{0,62}$/;

interface ProbeAnswer {
  data?: { __typename?: string };
  errors?: { extensions?: { code?: unknown; backend?: unknown } }[];
}

/**
 * Probes a GraphQL endpoint with `{ __typename }`: up when it answers 200 with data,
 * which proves the process serves GraphQL, not merely that a port is open. Reasons name
 * no host, since they reach clients. A subgraph that is down because a backend of its
 * own is (its database, say) can say which: an error with code BACKEND_UNAVAILABLE and
 * `extensions.backend` makes the reason "answered HTTP 503: database unavailable".
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
        const body = (await response.json().catch(() => undefined)) as ProbeAnswer | undefined;
        if (response.status === 200 && body?.data?.__typename) return { ok: true, detail: 'answers GraphQL' };
        const { code, backend } = body?.errors?.[0]?.extensions ?? {};
        if (code === ErrorCode.BACKEND_UNAVAILABLE && typeof backend === 'string' && BACKEND_NAME.test(backend)) {
          return { ok: false, reason: `answered HTTP ${response.status}: ${backend} unavailable` };
        }
        return { ok: false, reason: `answered HTTP ${response.status} without GraphQL data` };
      } catch (error) {
        return { ok: false, reason: describeNetworkError(error, timeoutMs) };
      }
    },
  };
}
