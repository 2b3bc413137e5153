import { request, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { createParser } from 'eventsource-parser';

/** One thing read from an event stream, in order. */
export type SseItem =
  | { readonly type: 'event'; readonly event?: string; readonly id?: string; readonly data: string }
  | { readonly type: 'comment'; readonly text: string }
  | { readonly type: 'retry'; readonly ms: number };

/**
 * A raw Server-Sent Events connection over node:http, for tests that check the wire: every
 * event, comment and retry hint in order, awaited one by one (never on a timer).
 */
export class SseConnection {
  private readonly items: SseItem[] = [];
  private readonly waiters: (() => void)[] = [];
  private done = false;
  private raw = '';
  readonly ended: Promise<void>;

  private constructor(
    private readonly req: ClientRequest,
    readonly response: IncomingMessage,
  ) {
    const parser = createParser({
      onEvent: (e) => this.push({ type: 'event', event: e.event, id: e.id, data: e.data }),
      onComment: (text) => this.push({ type: 'comment', text: text.trim() }),
      onRetry: (ms) => this.push({ type: 'retry', ms }),
    });
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      this.raw += chunk;
      parser.feed(chunk);
    });
    this.ended = new Promise((resolve) => {
      const end = () => {
        this.done = true;
        this.wake();
        resolve();
      };
      response.once('end', end);
      response.once('close', end);
    });
  }

  /** Opens a stream (from `localAddress`: another loopback address is another client); resolves once the response headers arrive (any status). */
  static open(url: string, headers: Record<string, string> = {}, localAddress?: string): Promise<SseConnection> {
    return new Promise((resolve, reject) => {
      const req = request(url, { headers: { accept: 'text/event-stream', ...headers }, localAddress });
      req.once('response', (response) => resolve(new SseConnection(req, response)));
      req.once('error', reject);
      req.end();
    });
  }

  get status(): number {
    return this.response.statusCode ?? 0;
  }

  get headers(): IncomingHttpHeaders {
    return this.response.headers;
  }

  /** The next item (after those already taken); rejects if the stream ends first. */
  async next(): Promise<SseItem> {
    while (this.items.length === 0) {
      if (this.done) throw new Error('the stream ended before the next item');
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    return this.items.shift()!;
  }

  /** Skips items until one matches; rejects if the stream ends first. */
  async nextWhere(predicate: (item: SseItem) => boolean): Promise<SseItem> {
    for (;;) {
      const item = await this.next();
      if (predicate(item)) return item;
    }
  }

  /** The next event of this type (`affordances` unless told), parsed. */
  async nextEvent<T = unknown>(
    predicate: (data: T) => boolean = () => true,
    event = 'affordances',
  ): Promise<{ id?: string; data: T }> {
    for (;;) {
      const item = await this.nextWhere((i) => i.type === 'event' && i.event === event);
      if (item.type !== 'event') continue;
      const data = JSON.parse(item.data) as T;
      if (predicate(data)) return { id: item.id, data };
    }
  }

  /** The whole body as text (for error responses). */
  async text(): Promise<string> {
    await this.ended;
    return this.raw;
  }

  /** Drops the connection, as a client going away does. */
  close(): void {
    this.req.destroy();
  }

  private push(item: SseItem): void {
    this.items.push(item);
    this.wake();
  }

  private wake(): void {
    this.waiters.splice(0).forEach((resolve) => resolve());
  }
}
