import type { HistoryJson } from './affordancesJson.js';

const GRAPHQL_URL = 'graphql';
/** What the timeline needs of `affordances { history }`: the last hour, every subgraph. */
const HISTORY_QUERY = `{ affordances { history(since: "1h") {
  since retainedSince
  entries { at subgraph changes available composed versions reason }
  subgraphs { subgraph available availableAtSince windows { window unavailableMs drops } }
} } }`;

/** The gateway's history of the last hour, as the caller of `headers`; throws with the gateway's message when it refuses. */
export async function fetchHistory(
  headers: Readonly<Record<string, string>>,
  signal: AbortSignal,
): Promise<HistoryJson> {
  const response = await fetch(GRAPHQL_URL, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query: HISTORY_QUERY }),
    cache: 'no-store',
    signal,
  });
  const body = (await response.json()) as {
    data?: { affordances?: { history?: HistoryJson } } | null;
    errors?: { message?: string }[];
  };
  const history = body.data?.affordances?.history;
  if (!history) throw new Error(body.errors?.[0]?.message ?? `HTTP ${response.status}`);
  return history;
}
