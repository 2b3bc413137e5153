import type {
  GatewayExecutor,
  GatewayInterface,
  GatewayLoadResult,
  GatewaySchemaLoadOrUpdateCallback,
} from '@apollo/server-gateway-interface';
import type { GraphQLSchema } from 'graphql';
import { LRUCache } from 'lru-cache';
import { backoff } from '../platform/backoff.js';
import type { Logger } from '../platform/logger.js';
import { executeOnState } from './executeOnState.js';
import { PlannerPool } from './planner/plannerPool.js';
import {
  buildServingState,
  SupersededBuild,
  supergraphId,
  type ServingState,
  type ServingStateOptions,
} from './servingState.js';

/** Where the supergraph to serve comes from (composition): level-triggered, like a controller's desired state. */
export interface SupergraphFeed {
  /** The supergraph that should be served now; undefined until the first one is composed. */
  wanted(): string | undefined;
  /** Calls `listener` whenever `wanted()` may have changed; returns an unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

/** What the serving core is doing, for affordances and metrics. */
export type ServingStatus =
  | { readonly phase: 'serving'; readonly servedId: string }
  | { readonly phase: 'building'; readonly servedId?: string; readonly wantedId: string; readonly attempt: number }
  | {
      readonly phase: 'retrying';
      readonly servedId?: string;
      readonly wantedId: string;
      /** Failed builds of the wanted supergraph so far. */
      readonly attempt: number;
      readonly error: string;
      readonly retryAt: Date;
    };

/** One build of a serving state, for metrics. */
export interface StateBuildEvent {
  /** `swap`: a wanted supergraph; `ahead`: one likely to be wanted next. */
  readonly when: 'swap' | 'ahead';
  /** `superseded`: stopped part way, as another supergraph was wanted before it was built. */
  readonly result: 'ok' | 'failed' | 'superseded';
  readonly durationMs: number;
}

export interface ServingGatewayOptions extends Omit<ServingStateOptions, 'planner'> {
  feed: SupergraphFeed;
  logger: Logger;
  /** Built states kept for swaps back to a known supergraph (a flapping subgraph). Default 4. */
  keptStates?: number;
  /** First delay before a failed build is tried again; doubles (with jitter) up to 30 s. Default 500. */
  retryInitialMs?: number;
  /** Supergraphs composed ahead of need are built ahead too when shorter than this. Default 20000. */
  prebuildBelowChars?: number;
  /**
   * Supergraphs shorter than this get their query planner on the event loop, longer ones
   * on planner threads (see PlannerPool). Default 20000 (config `composition.plannerThreadsFromChars`).
   */
  inlinePlannerBelowChars?: number;
  onBuild?: (event: StateBuildEvent) => void;
}

const RETRY_MAX_MS = 30_000;

/**
 * Apollo Server's gateway, implemented on the published gateway interface. It serves one
 * immutable `ServingState` at a time and follows the supergraph feed level-triggered:
 * whenever the wanted supergraph differs from the served one it builds a state for it
 * (one build at a time, retried with backoff when it fails) and swaps the whole state.
 *
 * A request is executed on the state Apollo Server validated it against: Apollo Server
 * takes one schema per request at its start and hands it to the executor, and each
 * state's schema maps back to its state. So a swap in the middle of a request changes
 * nothing for that request.
 *
 * The one fast path is reuse: a state is a pure function of its supergraph SDL, so a
 * state kept from before (or built ahead of need) for the same SDL is the state a fresh
 * build would make (its plan cache holds plans the same planner made for the same
 * supergraph). Nothing is ever served before its own state is built.
 */
export class ServingGateway implements GatewayInterface {
  private readonly listeners = new Set<GatewaySchemaLoadOrUpdateCallback>();
  private readonly stateListeners = new Set<(state: ServingState) => void>();
  private readonly statusListeners = new Set<(status: ServingStatus) => void>();
  private readonly bySchema = new WeakMap<GraphQLSchema, ServingState>();
  private readonly kept: LRUCache<string, ServingState>;
  private readonly ahead: string[] = [];
  private current?: ServingState;
  private currentStatus?: ServingStatus;
  /** The build under way: the supergraph it builds (undefined for one ahead of need) and how to stop it. */
  private building?: { readonly id?: string; readonly abort: AbortController };
  /** The wanted supergraph whose build failed, and the timer of its retry (its details are in `currentStatus`). */
  private failure?: { id: string; timer: NodeJS.Timeout };
  private stopped = false;
  private unsubscribe = () => {};
  private readonly planner: PlannerPool;

  constructor(private readonly options: ServingGatewayOptions) {
    this.kept = new LRUCache({ max: options.keptStates ?? 4 });
    this.planner = new PlannerPool({ inlineBelowChars: options.inlinePlannerBelowChars ?? 20_000 });
  }

  readonly executor: GatewayExecutor = (requestContext) => {
    // Apollo Server hands on the schema it validated the request against: always one of ours.
    const state = this.bySchema.get(requestContext.schema);
    if (!state) throw new Error('invariant: a request was validated against a schema no serving state has');
    return executeOnState(state, requestContext);
  };

  onSchemaLoadOrUpdate(callback: GatewaySchemaLoadOrUpdateCallback): () => void {
    this.listeners.add(callback);
    if (this.current) callback({ apiSchema: this.current.schema, coreSupergraphSdl: this.current.supergraphSdl });
    return () => this.listeners.delete(callback);
  }

  /** Calls `listener` with every state served from now on (and the current one). */
  onState(listener: (state: ServingState) => void): () => void {
    this.stateListeners.add(listener);
    if (this.current) listener(this.current);
    return () => this.stateListeners.delete(listener);
  }

  /** Calls `listener` on every change of `status()`. */
  onStatus(listener: (status: ServingStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** The state served now; undefined before the first one. */
  served(): ServingState | undefined {
    return this.current;
  }

  status(): ServingStatus | undefined {
    return this.currentStatus;
  }

  /** Resolves once the first wanted supergraph is served; rejects if it cannot be built. */
  async load(): Promise<GatewayLoadResult> {
    const first = this.options.feed.wanted();
    if (first === undefined) throw new Error('no supergraph to serve: composition has not produced one');
    const state = await this.build(first, 'swap', new AbortController().signal).catch(async (error: unknown) => {
      await this.planner.stop();
      throw error;
    });
    this.swap(state);
    this.planner.warm(first);
    this.unsubscribe = this.options.feed.subscribe(() => this.reconcile());
    this.reconcile();
    return { executor: this.executor };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    clearTimeout(this.failure?.timer);
    await this.planner.stop();
  }

  /**
   * Builds, when idle, the state of a supergraph likely to be wanted next (composed ahead
   * of need), if small enough that building it stalls requests no more than a minor GC.
   */
  prebuild(supergraphSdl: string): void {
    if (supergraphSdl.length >= (this.options.prebuildBelowChars ?? 20_000)) return;
    if (this.kept.has(supergraphId(supergraphSdl)) || this.ahead.includes(supergraphSdl)) return;
    this.ahead.push(supergraphSdl);
    this.reconcile();
  }

  /**
   * Level-triggered: compares the wanted supergraph with the served one and acts on the
   * difference. A build under way is stopped as soon as its supergraph is no longer the
   * one wanted (a build ahead of need, as soon as anything not yet built is wanted); a
   * swap to a state already built never waits for a build.
   */
  private reconcile(): void {
    if (this.stopped) return;
    const wanted = this.options.feed.wanted();
    if (wanted === undefined) return;
    const id = supergraphId(wanted);
    if (id === this.current?.id) {
      this.clearFailure();
      this.setStatus({ phase: 'serving', servedId: id });
      this.supersede(undefined);
      return this.buildAhead();
    }
    const kept = this.kept.get(id);
    if (kept) {
      this.clearFailure();
      this.swap(kept);
      this.supersede(undefined);
      return this.buildAhead();
    }
    this.supersede(id);
    if (this.building) return;
    // A failed build of this same supergraph waits for its retry timer.
    if (this.failure?.id === id) return;
    this.clearFailure();
    void this.buildAndSwap(wanted, id, 0);
  }

  /**
   * Stops the build under way if it is stale: `wantedId` is what needs building now
   * (undefined: nothing, then only a build ahead of need may go on). Its end reconciles.
   */
  private supersede(wantedId: string | undefined): void {
    const build = this.building;
    if (!build) return;
    const stale = wantedId === undefined ? build.id !== undefined : build.id !== wantedId;
    if (stale) build.abort.abort();
  }

  private async buildAndSwap(supergraphSdl: string, id: string, attempt: number): Promise<void> {
    const building = { id, abort: new AbortController() };
    this.building = building;
    this.setStatus({ phase: 'building', servedId: this.current?.id, wantedId: id, attempt });
    try {
      const state = await this.build(supergraphSdl, 'swap', building.abort.signal);
      this.building = undefined;
      if (this.stopped) return;
      // Served only if still wanted; kept either way, as it may be wanted again soon.
      if (this.options.feed.wanted() === supergraphSdl) this.swap(state);
    } catch (error) {
      this.building = undefined;
      if (this.stopped) return;
      if (error instanceof SupersededBuild) return this.reconcile();
      const message = (error as Error).message ?? String(error);
      const delay = backoff(attempt, this.options.retryInitialMs ?? 500, RETRY_MAX_MS);
      const retryAt = new Date(Date.now() + delay);
      this.options.logger.error(
        { err: message, attempt: attempt + 1, retryInMs: Math.round(delay) },
        'cannot build the serving state of the new supergraph; serving the previous one and retrying',
      );
      const timer = setTimeout(() => {
        if (this.failure?.timer !== timer) return;
        this.failure = undefined;
        if (this.options.feed.wanted() === supergraphSdl) void this.buildAndSwap(supergraphSdl, id, attempt + 1);
        else this.reconcile();
      }, delay);
      timer.unref();
      this.failure = { id, timer };
      this.setStatus({
        phase: 'retrying',
        servedId: this.current?.id,
        wantedId: id,
        attempt: attempt + 1,
        error: message,
        retryAt,
      });
      return;
    }
    this.reconcile();
  }

  private buildAhead(): void {
    if (this.building || this.stopped) return;
    const next = this.ahead.shift();
    if (next === undefined) return;
    if (this.kept.has(supergraphId(next))) return this.buildAhead();
    const building = { abort: new AbortController() };
    this.building = building;
    void this.build(next, 'ahead', building.abort.signal)
      .catch(() => {
        // Superseded, or not servable: if it is ever wanted, the build fails again, is logged and retried.
      })
      .finally(() => {
        this.building = undefined;
        this.reconcile();
      });
  }

  private async build(
    supergraphSdl: string,
    when: StateBuildEvent['when'],
    signal: AbortSignal,
  ): Promise<ServingState> {
    const started = performance.now();
    const event = (result: StateBuildEvent['result']) =>
      this.options.onBuild?.({ when, result, durationMs: performance.now() - started });
    try {
      const state = await buildServingState(supergraphSdl, { ...this.options, planner: this.planner }, signal);
      this.kept.set(state.id, state);
      this.bySchema.set(state.schema, state);
      event('ok');
      return state;
    } catch (error) {
      event(error instanceof SupersededBuild ? 'superseded' : 'failed');
      throw error;
    }
  }

  private swap(state: ServingState): void {
    this.current = state;
    this.planner.serving(state.id);
    this.setStatus({ phase: 'serving', servedId: state.id });
    const load = { apiSchema: state.schema, coreSupergraphSdl: state.supergraphSdl };
    for (const listener of this.listeners) this.tell(() => listener(load));
    for (const listener of this.stateListeners) this.tell(() => listener(state));
  }

  private tell(call: () => void): void {
    try {
      call();
    } catch (error) {
      this.options.logger.error({ err: error }, 'a schema listener failed; the schema still changes');
    }
  }

  private clearFailure(): void {
    if (!this.failure) return;
    clearTimeout(this.failure.timer);
    this.failure = undefined;
  }

  private setStatus(status: ServingStatus): void {
    const before = this.currentStatus;
    this.currentStatus = status;
    if (JSON.stringify(before) === JSON.stringify(status)) return;
    for (const listener of this.statusListeners) this.tell(() => listener(status));
  }
}
