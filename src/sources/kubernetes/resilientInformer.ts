import {
  makeInformer,
  type ObjectCache,
  type Informer,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { backoff } from '../../platform/backoff.js';
import type { Logger } from '../../platform/logger.js';
import { describeApiError as describe, statusCodeOf } from './apiErrors.js';

export interface ResilientInformerOptions<T extends KubernetesObject> {
  kubeConfig: KubeConfig;
  /** What it watches, for messages: e.g. "deployments.apps in namespace shop". */
  resource: string;
  /** API path of the collection, e.g. /apis/apps/v1/namespaces/shop/deployments. */
  path: string;
  list: () => Promise<KubernetesListObject<T>>;
  labelSelector?: string;
  watchdogMs: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  logger: Logger;
  /** Called after every change of the cache or of the watch's health. */
  onChange: () => void;
}

/** Health of one watch: `failing` keeps the last known objects, which may be stale. */
export type WatchHealth =
  | { state: 'watching' }
  | { state: 'failing'; since: Date; error: string }
  | { state: 'forbidden'; since: Date; error: string };

/** The API server refused a verb by RBAC; the source cannot work until the Role is fixed. */
export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
}

/** The first list failed (other than by RBAC); `status` is the API server's HTTP status, when it answered. */
export class ListError extends Error {
  override readonly name = 'ListError';
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
  }
}

/**
 * An informer (list + watch into a cache) that does not stop for good: the client's
 * informer gives up on any error but 410 Gone, so this one restarts it with exponential
 * backoff and jitter, restarts a watch silent for longer than `watchdogMs` (a half-open
 * connection looks exactly like a quiet cluster), and stops only on a 403 Forbidden at
 * start (a missing Role); a later 403 is retried like any failure.
 * The cache, and so the last known state, survives every restart.
 */
export class ResilientInformer<T extends KubernetesObject> {
  private readonly informer: Informer<T> & ObjectCache<T>;
  private health: WatchHealth = { state: 'watching' };
  private attempt = 0;
  private lastActivity = Date.now();
  private errorDuringStart = false;
  /** HTTP status of the last failure, if the API server answered. */
  private lastStatus?: number;
  private retry?: NodeJS.Timeout;
  private watchdog?: NodeJS.Timeout;
  private stopped = false;
  /** Set once start() has succeeded: from then on every failure is retried. */
  private synced = false;
  /** Number of restarts after errors or watchdog timeouts, for metrics and tests. */
  restarts = 0;
  /** Number of full lists: the first, and one after every 410 Gone or restart without a resourceVersion. */
  lists = 0;

  constructor(private readonly options: ResilientInformerOptions<T>) {
    const list = () => {
      this.lists++;
      return options.list();
    };
    this.informer = makeInformer<T>(options.kubeConfig, options.path, list, options.labelSelector);
    const touched = () => {
      this.lastActivity = Date.now();
      options.onChange();
    };
    this.informer.on('add', touched);
    this.informer.on('update', touched);
    this.informer.on('delete', touched);
    this.informer.on('connect', () => (this.lastActivity = Date.now()));
    this.informer.on('error', (error: unknown) => this.onError(error));
  }

  /** Lists and starts watching; resolves once the cache holds a first full list. Rejects on 403. */
  async start(): Promise<void> {
    await this.run();
    if (this.health.state === 'forbidden') throw new ForbiddenError(this.health.error);
    if (this.health.state === 'failing') {
      throw new ListError(`cannot list ${this.options.resource}: ${this.health.error}`, this.lastStatus);
    }
    this.synced = true;
    this.watchdog = setInterval(() => this.checkSilence(), Math.max(250, this.options.watchdogMs / 4));
    this.watchdog.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    clearInterval(this.watchdog);
    await this.informer.stop();
  }

  /** The cached objects: the last known state, even while the watch is failing. */
  objects(): readonly T[] {
    return this.informer.list();
  }

  status(): WatchHealth {
    return this.health;
  }

  private async run(): Promise<void> {
    this.errorDuringStart = false;
    this.lastActivity = Date.now();
    // start() resolves once the list (when needed) is in and the watch request was answered.
    await this.informer.start();
    if (this.errorDuringStart || this.stopped) return;
    const recovered = this.health.state !== 'watching';
    this.attempt = 0;
    this.health = { state: 'watching' };
    if (recovered) {
      this.options.logger.info({ resource: this.options.resource }, `watch of ${this.options.resource} recovered`);
      this.options.onChange();
    }
  }

  private onError(error: unknown): void {
    this.errorDuringStart = true;
    // Aborts are ours (stop, watchdog restart), not failures of the API server.
    if (this.stopped || (error as { name?: string } | undefined)?.name === 'AbortError') return;
    this.lastStatus = statusCodeOf(error);
    const forbidden = this.lastStatus === 403;
    const rbac = `the gateway's service account needs get, list, watch on it (see k8s/base/gateway-rbac.yaml)`;
    // After a first list a 403 is most often an API server that restarted and has not
    // loaded its RBAC rules yet: say that first, and what to check if it lasts.
    const message = !forbidden
      ? describe(error)
      : this.synced
        ? `forbidden to list/watch ${this.options.resource}, which was allowed before: an API server that just ` +
          `restarted refuses until its authorization cache is warm, so this is retried; if it lasts, ${rbac}; ` +
          `the API server said: ${describe(error)}`
        : `forbidden to list/watch ${this.options.resource}: ${rbac}; the API server said: ${describe(error)}`;
    const state = forbidden ? 'forbidden' : 'failing';
    const since = this.health.state === state ? this.health.since : new Date();
    this.health = { state, since, error: message };
    this.options.onChange();
    if (forbidden && !this.synced) {
      // At start a 403 is a missing Role: stop and say so (start() rejects with it).
      this.options.logger.error({ resource: this.options.resource }, message);
      void this.informer.stop();
      return;
    }
    // Later, a 403 can be transient (an API server restarting before its RBAC cache is
    // warm) or fixed by an operator: keep the last known state and retry, loudly.
    const delay = backoff(this.attempt++, this.options.initialBackoffMs, this.options.maxBackoffMs);
    const fields = {
      resource: this.options.resource,
      err: (error as Error).message ?? String(error),
      retryInMs: Math.round(delay),
    };
    const text = `watch of ${this.options.resource} failed; keeping the last known state and retrying`;
    if (forbidden) this.options.logger.error(fields, `${text}: ${message}`);
    else this.options.logger.warn(fields, text);
    this.scheduleRestart(delay);
  }

  private scheduleRestart(delay: number): void {
    clearTimeout(this.retry);
    this.retry = setTimeout(() => {
      if (this.stopped) return;
      this.restarts++;
      void this.run();
    }, delay);
    this.retry.unref();
  }

  private checkSilence(): void {
    if (this.stopped || this.health.state !== 'watching') return;
    const silentMs = Date.now() - this.lastActivity;
    if (silentMs < this.options.watchdogMs) return;
    this.options.logger.warn(
      { resource: this.options.resource, silentMs },
      `watch of ${this.options.resource} silent; restarting it`,
    );
    this.lastActivity = Date.now();
    void this.informer.stop().then(() => this.scheduleRestart(0));
  }
}
