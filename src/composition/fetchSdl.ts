import { describeNetworkError } from '../platform/http/networkError.js';

/** Reads a subgraph's SDL through the federation `_service { sdl }` query. Throws with a readable message naming no host. */
export async function fetchSubgraphSdl(url: string, timeoutMs: number): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ _service { sdl } }"}',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new Error(`cannot read its SDL: ${describeNetworkError(error, timeoutMs)}`);
  }
  const body = (await response.json().catch(() => undefined)) as
    { data?: { _service?: { sdl?: string } }; errors?: { message: string }[] } | undefined;
  const sdl = body?.data?._service?.sdl;
  if (typeof sdl === 'string' && sdl.length > 0) return sdl;
  const detail = body?.errors?.map((e) => e.message).join('; ') ?? `HTTP ${response.status}`;
  throw new Error(`it did not return its SDL (is it a federation subgraph?): ${detail}`);
}
