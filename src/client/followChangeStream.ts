import { createParser } from 'eventsource-parser';
import type { AffordancesJson } from './affordancesJson.js';
import { ClientError } from './clientError.js';
import { ExitCode } from './exitCodes.js';
import { describeNetworkError, unreachable } from './gatewayClient.js';

export interface ChangeStreamListener {
  /** The whole current state: on connect, after a reconnect that missed something, on every change. */
  onAffordances(affordances: AffordancesJson): void;
  /** The stream dropped, or a reconnect attempt failed; `detail` says why. It keeps trying. */
  onDisconnected(detail: string): void;
  /** A stream is open again after onDisconnected. */
  onReconnected(): void;
}

export interface FollowOptions {
  /** Stops following; the promise then resolves. */
  readonly signal: AbortSignal;
  /** Reconnect when nothing, not even a heartbeat, arrived for this long. Default 90 s. */
  readonly idleTimeoutMs?: number;
  /** Sent with every connection (the caller's token: the stream sends this caller's view). */
  readonly headers?: Readonly<Record<string, string>>;
}

const STREAM_EVENT = 'affordances';
const DEFAULT_RETRY_MS = 2000;

/**
 * Follows the gateway's change stream (`/affordances/stream`) until aborted, reconnecting
 * like a browser's EventSource: after the server's `retry:` delay (or `Retry-After` when it
 * refuses), with `Last-Event-ID` so an unchanged state is not sent again. Only the first
 * connection failing is fatal (exit 4): after that, an outage is what a watcher wants to see.
 */
export async function followChangeStream(
  baseUrl: string,
  listener: ChangeStreamListener,
  { signal, idleTimeoutMs = 90_000, headers = {} }: FollowOptions,
): Promise<void> {
  const url = `${baseUrl}/affordances/stream`;
  let lastEventId: string | undefined;
  let retryMs = DEFAULT_RETRY_MS;
  let connectedOnce = false;
  let disconnected = false;

  while (!signal.aborted) {
    const attempt = new AbortController();
    const combined = AbortSignal.any([signal, attempt.signal]);
    let delayMs = retryMs;
    let detail: string;
    try {
      const response = await fetch(url, {
        headers: { ...headers, accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
        signal: combined,
      });
      if (response.status === 503) {
        const body = await response.text();
        delayMs = retryAfterMs(response.headers.get('retry-after')) ?? retryMs;
        throw new StreamRefused(`the gateway refused the stream: ${errorMessage(body) ?? `HTTP 503`}`);
      }
      const type = response.headers.get('content-type') ?? '';
      if (!response.ok || !type.startsWith('text/event-stream') || !response.body) {
        await response.body?.cancel();
        throw new ClientError(
          `${url} answered HTTP ${response.status} (${type || 'no content type'}), not an event stream; ` +
            'is --url (or AG_GATEWAY_URL) the gateway?',
          ExitCode.UNREACHABLE,
          'GATEWAY_UNREACHABLE',
        );
      }
      connectedOnce = true;
      if (disconnected) listener.onReconnected();
      disconnected = false;

      const parser = createParser({
        onEvent: (event) => {
          if (event.event !== STREAM_EVENT) return;
          lastEventId = event.id;
          listener.onAffordances(JSON.parse(event.data) as AffordancesJson);
        },
        onRetry: (ms) => {
          retryMs = ms;
        },
      });
      let idle = setTimeout(() => attempt.abort(), idleTimeoutMs);
      try {
        const decoder = new TextDecoder();
        for await (const chunk of response.body) {
          clearTimeout(idle);
          idle = setTimeout(() => attempt.abort(), idleTimeoutMs);
          parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
        }
      } finally {
        clearTimeout(idle);
      }
      detail = 'the gateway closed the stream';
      delayMs = retryMs;
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof ClientError) throw error;
      if (!connectedOnce && !(error instanceof StreamRefused)) throw unreachable(baseUrl, error);
      detail =
        error instanceof StreamRefused
          ? error.message
          : attempt.signal.aborted
            ? `no data for ${idleTimeoutMs} ms (not even a heartbeat)`
            : `cannot reach ${baseUrl}: ${describeNetworkError(error)}`;
    }
    if (signal.aborted) return;
    disconnected = true;
    listener.onDisconnected(`${detail}; reconnecting in ${Math.round(delayMs / 100) / 10} s`);
    await abortableDelay(delayMs, signal);
  }
}

class StreamRefused extends Error {}

function retryAfterMs(header: string | null): number | undefined {
  const seconds = Number(header);
  return header && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

function errorMessage(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { errors?: { message?: string }[] };
    return parsed.errors?.[0]?.message;
  } catch {
    return undefined;
  }
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
