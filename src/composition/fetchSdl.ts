import { describeNetworkError } from '../platform/http/networkError.js';

/**
 * Reads a subgraph's SDL through the federation `_service { sdl }` query. Throws with a
 * readable message naming no host. An answer over `maxBytes` is not read further (its
 * connection is closed) and fails the read as "response too large"; default 4 MiB
 * (config `composition.maxSdlBytes`).
 */
export async function fetchSubgraphSdl(url: string, timeoutMs: number, maxBytes = 4 * 1024 * 1024): Promise<string> {
  let text: string;
  let status: number;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ _service { sdl } }"}',
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = response.status;
    text = await readAtMost(response, maxBytes);
  } catch (error) {
    const reason = error instanceof TooLarge ? error.message : describeNetworkError(error, timeoutMs);
    throw new Error(`cannot read its SDL: ${reason}`);
  }
  const body = parseJson(text) as
    { data?: { _service?: { sdl?: string } }; errors?: { message: string }[] } | undefined;
  const sdl = body?.data?._service?.sdl;
  if (typeof sdl === 'string' && sdl.length > 0) return sdl;
  const detail = body?.errors?.map((e) => e.message).join('; ') ?? `HTTP ${status}`;
  throw new Error(`it did not return its SDL (is it a federation subgraph?): ${detail}`);
}

class TooLarge extends Error {
  constructor(maxBytes: number) {
    super(`response too large (over ${maxBytes} bytes)`);
  }
}

/** The body as text, refused (and the rest left unread) once it passes `maxBytes`. */
async function readAtMost(response: Response, maxBytes: number): Promise<string> {
  if (Number(response.headers.get('content-length')) > maxBytes) {
    await response.body?.cancel();
    throw new TooLarge(maxBytes);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new TooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
