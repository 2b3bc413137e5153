import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { federationLink } from './subgraphServers.js';

/** The schema the hostile subgraph declares: one field to query. */
export const HOSTILE_SDL = `${federationLink(['@key'])}\ntype Query { hostile: String }`;

/** What one oversized answer came to on the server's side. */
export interface HugeAnswer {
  /** Bytes the server managed to write before the client closed the connection (or it finished). */
  readonly written: number;
  /** True when the client closed the connection before the whole body was sent. */
  readonly cutOff: boolean;
}

/**
 * How the hostile subgraph answers a query: a body of `bytes` (with or without a
 * content-length), or a status with a JSON body.
 */
export type HostileAnswer =
  | { readonly kind: 'huge'; readonly bytes: number; readonly contentLength: boolean }
  | { readonly kind: 'json'; readonly status: number; readonly body: unknown };

/**
 * A hand-written HTTP server on loopback standing in for a subgraph that misbehaves in
 * ways a real one cannot be made to on demand: it answers its SDL query like a subgraph,
 * and any other query (the gateway's fetches, probes) as `answer` says. Huge bodies are
 * written as fast as the client reads them, so what was written when the client hung up
 * shows how much it read.
 */
export class HostileSubgraph {
  answer: HostileAnswer = { kind: 'json', status: 200, body: { data: { hostile: 'ok', __typename: 'Query' } } };
  /** The huge answers sent, in order; each resolves when its connection closes or its body is done. */
  readonly huge: Promise<HugeAnswer>[] = [];
  private readonly server = createServer((request, response) => this.handle(request, response));
  url = '';

  /** `sdl` is what the SDL query answers, HOSTILE_SDL unless given. */
  constructor(private readonly sdl: HostileAnswer = json({ data: { _service: { sdl: HOSTILE_SDL } } })) {}

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/graphql`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of request) body += chunk;
    const answer = body.includes('_service') ? this.sdl : this.answer;
    if (answer.kind === 'json') {
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer.body));
      return;
    }
    this.huge.push(writeHuge(response, answer.bytes, answer.contentLength));
  }
}

/** A JSON answer with status 200 unless given. */
export const json = (body: unknown, status = 200): HostileAnswer => ({ kind: 'json', status, body });

/** Writes `bytes` of a JSON string body, waiting for the client to read each chunk, until done or cut off. */
function writeHuge(response: ServerResponse, bytes: number, contentLength: boolean): Promise<HugeAnswer> {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  const head = Buffer.from('{"data":{"hostile":"');
  const tail = Buffer.from('"}}');
  response.writeHead(200, {
    'content-type': 'application/json',
    ...(contentLength && { 'content-length': String(bytes) }),
  });
  return new Promise((resolve) => {
    let written = 0;
    let closed = false;
    response.on('close', () => {
      closed = true;
      resolve({ written, cutOff: written < bytes });
    });
    // Exactly `bytes`: the head, chunks of x, the last one cut to fit, the tail.
    const next = () => {
      if (written === 0) return head;
      const left = bytes - written - tail.length;
      return left <= 0 ? tail : chunk.subarray(0, Math.min(left, chunk.length));
    };
    const write = () => {
      while (!closed && written < bytes) {
        const part = next();
        written += part.length;
        if (!response.write(part)) return void response.once('drain', write);
      }
      if (!closed) response.end();
    };
    write();
  });
}
