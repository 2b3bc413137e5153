import { createParser } from 'eventsource-parser';
import type { AffordancesJson, HistoryEntryJson } from './affordancesJson.js';
import { renderRefusedCaller } from './callerLine.js';
import { $ } from './dom.js';

const STREAM_URL = 'affordances/stream';
const STREAM_EVENT = 'affordances';
const HISTORY_EVENT = 'history';
/** Until the server says otherwise (`retry:`). */
const DEFAULT_RETRY_MS = 2000;
/** After a refusal without `Retry-After`, or an answer that is not a stream. */
const REFUSED_RETRY_MS = 5000;

function setConnection(state: 'connecting' | 'live' | 'closed', text: string): void {
  const node = $('connection');
  node.className = `badge ${state}`;
  node.textContent = text;
}

/** The first error message of a GraphQL-style error body, if it is one. */
async function errorMessage(response: Response): Promise<string | undefined> {
  try {
    const body = (await response.json()) as { errors?: { message?: string }[] };
    return body.errors?.[0]?.message;
  } catch {
    return undefined;
  }
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}

/** What the stream delivers. */
export interface StreamHandlers {
  /** Each whole state of the affordances. */
  affordances(affordances: AffordancesJson): void;
  /** New entries of the gateway's history (`history` events). */
  history(entries: readonly HistoryEntryJson[]): void;
  /** A connection is open: what it may have missed before (history) is to be read again. */
  connected(): void;
}

/**
 * Follows the change stream until `signal` aborts, showing the connection state; every
 * `affordances` event is the whole state, every `history` event new history entries. With `fetch` and a streaming body rather than EventSource,
 * which cannot send an Authorization header: `headers` (the caller's token) go with every
 * connection. It reconnects as EventSource would (after the server's `retry:` delay, with
 * `Last-Event-ID`, so an unchanged state is not sent again), after `Retry-After` when
 * refused (503), and not at all when the token is refused (401): another token restarts it.
 */
export async function followChangeStream(
  headers: Readonly<Record<string, string>>,
  handlers: StreamHandlers,
  signal: AbortSignal,
): Promise<void> {
  let lastEventId: string | undefined;
  let retryMs = DEFAULT_RETRY_MS;
  const parser = createParser({
    onEvent: (event) => {
      if (event.event === HISTORY_EVENT) return handlers.history(JSON.parse(event.data) as HistoryEntryJson[]);
      if (event.event !== STREAM_EVENT) return;
      lastEventId = event.id;
      setConnection('live', 'live');
      handlers.affordances(JSON.parse(event.data) as AffordancesJson);
    },
    onRetry: (ms) => {
      retryMs = ms;
    },
  });
  setConnection('connecting', 'connecting\u2026');
  while (!signal.aborted) {
    let waitMs = retryMs;
    try {
      const response = await fetch(STREAM_URL, {
        headers: { ...headers, accept: 'text/event-stream', ...(lastEventId && { 'last-event-id': lastEventId }) },
        cache: 'no-store',
        signal,
      });
      const type = response.headers.get('content-type') ?? '';
      if (response.status === 401) {
        setConnection('closed', `token refused: ${(await errorMessage(response)) ?? 'HTTP 401'}`);
        renderRefusedCaller();
        return;
      }
      if (!response.ok || !type.startsWith('text/event-stream') || !response.body) {
        const message = (await errorMessage(response)) ?? `HTTP ${response.status}`;
        const retryAfter = Number(response.headers.get('retry-after'));
        waitMs = response.headers.has('retry-after') && retryAfter >= 0 ? retryAfter * 1000 : REFUSED_RETRY_MS;
        setConnection('closed', `disconnected (${message}); retrying`);
      } else {
        setConnection('live', 'live');
        parser.reset();
        handlers.connected();
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          parser.feed(value);
        }
        setConnection('connecting', 'reconnecting\u2026');
      }
    } catch {
      if (signal.aborted) return;
      setConnection('connecting', 'reconnecting\u2026');
    }
    await delay(waitMs, signal);
  }
}
