import type { Dispatcher, Pool } from 'undici';

export interface PostTextOptions {
  path: string;
  headers: Record<string, string>;
  body: string;
  /** The whole exchange, from queueing to the last byte of the answer; past it the request fails with a TimeoutError. */
  timeoutMs: number;
  /** Largest body read; an answer that declares more is cut off unread (the pool's `maxResponseSize` bounds the rest). */
  maxBytes: number;
}

/** A complete answer: its status and its body as UTF-8 text. */
export interface TextAnswer {
  readonly statusCode: number;
  readonly text: string;
}

/** The answer declared a body over `maxBytes`; the connection was closed without reading it. */
export class AnswerTooLargeError extends Error {
  override readonly name = 'AnswerTooLargeError';
}

/**
 * POSTs `body` on a pooled connection and resolves with the whole answer as text, through
 * undici's dispatcher API: the body is collected as it comes, with no stream, no abort
 * signal and no listener per request. The deadline is one timer that aborts the request
 * through its dispatch controller (an AbortController per request, with its event
 * listeners, was a tenth of the gateway's fetch path). A request still queued in the pool
 * when the deadline passes fails then, and is aborted as soon as it would start.
 */
export function postText(pool: Pool, options: PostTextOptions): Promise<TextAnswer> {
  return new Promise((resolve, reject) => {
    const handler = new TextHandler(options.maxBytes, resolve, reject);
    handler.timer = setTimeout(
      () => handler.fail(new DOMException(`no answer within ${options.timeoutMs} ms`, 'TimeoutError')),
      options.timeoutMs,
    );
    handler.timer.unref();
    pool.dispatch({ path: options.path, method: 'POST', headers: options.headers, body: options.body }, handler);
  });
}

class TextHandler implements Dispatcher.DispatchHandler {
  timer?: NodeJS.Timeout;
  private controller?: Dispatcher.DispatchController;
  private failure?: Error;
  private settled = false;
  private statusCode = 0;
  private readonly chunks: Buffer[] = [];

  constructor(
    private readonly maxBytes: number,
    private readonly resolve: (answer: TextAnswer) => void,
    private readonly reject: (error: Error) => void,
  ) {}

  /** Settles with `error` now and aborts the request, now or once it starts. */
  fail(error: Error): void {
    this.failure ??= error;
    this.controller?.abort(error);
    this.settle(error);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.failure) controller.abort(this.failure);
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, unknown>,
  ): void {
    this.statusCode = statusCode;
    if (Number(headers['content-length']) > this.maxBytes) {
      this.fail(new AnswerTooLargeError(`answer over ${this.maxBytes} bytes`));
    }
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    const { chunks } = this;
    const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
    this.settle(undefined, { statusCode: this.statusCode, text });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.settle(this.failure ?? error);
  }

  private settle(error: Error | undefined, answer?: TextAnswer): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    if (error) this.reject(error);
    else this.resolve(answer!);
  }
}
