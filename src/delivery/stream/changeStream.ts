import { ErrorCode } from '../../platform/errorCodes.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AffordanceSnapshot, AffordanceState } from '../../affordances/affordanceState.js';
import type { Affordances, HistoryEntry } from '../../affordances/types.js';
import type { HistoryRecorder } from '../../affordances/historyRecorder.js';
import type { GatewayConfig } from '../../config/schema.js';
import { CountsByKey } from '../../platform/countsByKey.js';
import { sendError, type RequestHandler } from '../../platform/http/graphqlHandler.js';
import type { Logger } from '../../platform/logger.js';
import { affordancesEvent, type AffordancesEvent } from './affordancesEvent.js';
import { historyFrame } from './historyEvent.js';
import { commentFrame, retryFrame } from './sseFrames.js';

/** The view of the affordances a stream's client gets, chosen once per stream from its request. */
export type StreamViewer = (req: IncomingMessage) => (snapshot: AffordanceSnapshot) => Affordances;

/** What the stream reads: the gateway's AffordanceState, or anything shaped like it. */
export type AffordanceFeed = Pick<AffordanceState, 'get' | 'subscribe'>;

/** New history entries as they are recorded (the gateway's HistoryRecorder). */
export type HistoryFeed = Pick<HistoryRecorder, 'subscribe'>;

export type ChangeStreamOptions = GatewayConfig['server']['streams'];

/** Reconnect delay suggested to clients (`retry:`); long enough not to hammer a restarting gateway. */
export const RECONNECT_MS = 2000;
/** `Retry-After` (seconds) on a refused stream. */
export const RETRY_AFTER_SECONDS = 5;
/** A client that lets this much pile up unread is cut off; it gets the current state on reconnect. */
const MAX_UNREAD_BYTES = 1024 * 1024;
/** How long close() lets a stream flush its last bytes before destroying the socket. */
const CLOSE_GRACE_MS = 1000;

interface OpenStream {
  readonly res: ServerResponse;
  /** Ends the response and frees the listener and timer; idempotent. */
  end(comment?: string): void;
  readonly closed: Promise<void>;
}

/**
 * The affordances change stream (Server-Sent Events): the current affordances on connect,
 * then one event per change, heartbeats in between. Clients subscribe instead of polling;
 * every event carries the whole state, so a missed event never leaves a client wrong.
 * With a history feed, each batch of new history entries follows as a `history` event
 * (no id: it does not move the client's Last-Event-ID); a client that missed some asks
 * `affordances { history(since:) }`.
 */
export class ChangeStream {
  private readonly streams = new Set<OpenStream>();
  /** Open streams by client address. */
  private readonly perClient = new CountsByKey();
  private last?: { snapshot: AffordanceSnapshot; event: AffordancesEvent };
  private readonly viewEvents = new WeakMap<Affordances, AffordancesEvent>();
  private readonly historyFrames = new WeakMap<readonly HistoryEntry[], string>();
  private closing = false;
  private readonly lastRefusalLog = new Map<string, number>();

  constructor(
    private readonly feed: AffordanceFeed,
    private readonly options: ChangeStreamOptions,
    private readonly logger: Logger,
    /** New history entries, sent as `history` events; none without it. */
    private readonly history?: HistoryFeed,
    /** Each client's own view of a snapshot (its caller's affordances); default: the snapshot's. */
    private readonly viewer?: StreamViewer,
  ) {}

  /** Streams open now. */
  get size(): number {
    return this.streams.size;
  }

  /** The route handler for `GET /affordances/stream`. */
  readonly handle: RequestHandler = async (req, res) => {
    if (req.method !== 'GET') {
      res.setHeader('allow', 'GET');
      return sendError(res, 405, `${req.method} is not supported here; open the change stream with GET`);
    }
    if (this.closing) {
      return this.refuse(
        res,
        'the gateway is shutting down; reconnect in a moment (to another replica if there is one)',
      );
    }
    if (this.streams.size >= this.options.max) {
      this.logRefusal('max', this.options.max);
      return this.refuse(
        res,
        `too many open change streams (limit server.streams.max = ${this.options.max}); ` +
          `retry after ${RETRY_AFTER_SECONDS} s, or query \`affordances\` instead`,
      );
    }
    const release = this.perClient.acquire(req.socket.remoteAddress ?? 'unknown', this.options.perClient);
    if (!release) {
      this.logRefusal('perClient', this.options.perClient);
      return this.refuse(
        res,
        `too many open change streams from your address (limit server.streams.perClient = ${this.options.perClient}); ` +
          `close one (one stream is enough for every view of the state) or retry after ${RETRY_AFTER_SECONDS} s`,
      );
    }
    res.once('close', release);
    this.open(req, res);
  };

  /**
   * Ends every stream (clients reconnect elsewhere or later) and refuses new ones.
   * Resolves once their sockets are closed, so the HTTP server can close without waiting
   * on streams that never end by themselves.
   */
  async close(): Promise<void> {
    this.closing = true;
    const open = [...this.streams];
    for (const stream of open) stream.end('gateway shutting down');
    const timer = setTimeout(() => open.forEach((s) => s.res.destroy()), CLOSE_GRACE_MS);
    timer.unref();
    await Promise.all(open.map((s) => s.closed));
    clearTimeout(timer);
  }

  private open(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      // nginx and similar proxies buffer responses unless told not to.
      'x-accel-buffering': 'no',
      // A stream holds its connection to the end; closing it then frees the socket at once.
      connection: 'close',
    });
    res.write(retryFrame(RECONNECT_MS));

    let unsubscribe: (() => void) | undefined;
    let unsubscribeHistory: (() => void) | undefined;
    let heartbeat: NodeJS.Timeout | undefined;
    const stream: OpenStream = {
      res,
      end: (comment) => {
        if (!res.writableEnded) res.end(comment ? commentFrame(comment) : undefined);
        cleanup();
      },
      closed: new Promise((resolve) => res.once('close', resolve)),
    };
    const cleanup = () => {
      unsubscribe?.();
      unsubscribe = undefined;
      unsubscribeHistory?.();
      unsubscribeHistory = undefined;
      clearInterval(heartbeat);
      if (this.streams.delete(stream)) this.logger.debug({ open: this.streams.size }, 'change stream closed');
    };
    // The client went away (or the socket failed): free the listener and the timer.
    res.once('close', cleanup);
    this.streams.add(stream);
    this.logger.debug({ open: this.streams.size }, 'change stream opened');

    const write = (frame: string) => {
      if (res.writableEnded || res.destroyed) return;
      if (res.writableLength > MAX_UNREAD_BYTES) {
        this.logger.warn({ unreadBytes: res.writableLength }, 'change stream client is not reading; dropping it');
        // Ending would wait for it to read; it reconnects (if it ever does) and gets the current state.
        res.destroy();
        cleanup();
        return;
      }
      res.write(frame);
    };

    const view = this.viewer?.(req);
    unsubscribe = this.feed.subscribe((snapshot) => write(this.eventOf(snapshot, view).frame));
    unsubscribeHistory = this.history?.subscribe((entries) => write(this.historyFrameOf(entries)));
    heartbeat = setInterval(() => write(commentFrame('heartbeat')), this.options.heartbeatMs);
    heartbeat.unref();
    // A client reconnecting with the current id has this state already: it waits for the next change.
    const current = this.feed.get();
    if (current && this.eventOf(current, view).id !== req.headers['last-event-id']) {
      write(this.eventOf(current, view).frame);
    }
  }

  /**
   * Encodes each snapshot once, however many streams send it; with views, each view once
   * (views are shared objects per scope set, see CallerViews).
   */
  private eventOf(
    snapshot: AffordanceSnapshot,
    view?: (snapshot: AffordanceSnapshot) => Affordances,
  ): AffordancesEvent {
    if (view) {
      const affordances = view(snapshot);
      let event = this.viewEvents.get(affordances);
      if (!event) this.viewEvents.set(affordances, (event = affordancesEvent(affordances)));
      return event;
    }
    if (this.last?.snapshot !== snapshot) this.last = { snapshot, event: affordancesEvent(snapshot.affordances) };
    return this.last.event;
  }

  /** Each batch of entries encoded once, however many streams send it. */
  private historyFrameOf(entries: readonly HistoryEntry[]): string {
    let frame = this.historyFrames.get(entries);
    if (!frame) this.historyFrames.set(entries, (frame = historyFrame(entries)));
    return frame;
  }

  private refuse(res: ServerResponse, message: string): void {
    res.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
    sendError(res, 503, message, ErrorCode.STREAM_UNAVAILABLE);
  }

  private logRefusal(limit: 'max' | 'perClient', value: number): void {
    const now = Date.now();
    if (now - (this.lastRefusalLog.get(limit) ?? -Infinity) < 60_000) return;
    this.lastRefusalLog.set(limit, now);
    this.logger.warn(
      { limit: `server.streams.${limit}`, value },
      `change stream limit server.streams.${limit} reached; refusing new streams (logged once a minute)`,
    );
  }
}
