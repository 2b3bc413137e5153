import { request } from 'node:http';

export interface RawResponse {
  status: number;
  contentType: string;
  text: string;
}

export interface RawPostOptions {
  contentType?: string;
  /** Send the body as separate chunks with Transfer-Encoding: chunked (no Content-Length). */
  chunkBytes?: number;
}

/**
 * POSTs an arbitrary body with node:http, for requests fetch would not send as-is
 * (chunked with no Content-Length). Resolves with the response; rejects on a socket error.
 */
export function rawPost(url: string, body: string, options: RawPostOptions = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const bytes = Buffer.from(body, 'utf8');
    const headers: Record<string, string | number> = { 'content-type': options.contentType ?? 'application/json' };
    if (!options.chunkBytes) headers['content-length'] = bytes.length;
    const req = request(url, { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type'] ?? ''),
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    if (options.chunkBytes) {
      for (let offset = 0; offset < bytes.length; offset += options.chunkBytes) {
        req.write(bytes.subarray(offset, offset + options.chunkBytes));
      }
      req.end();
    } else {
      req.end(bytes);
    }
  });
}
