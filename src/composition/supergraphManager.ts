import { parse, print, type DocumentNode } from 'graphql';
import type { AvailabilityState } from '../availability/availabilityState.js';
import type { SubgraphEndpoint } from '../availability/subgraphSet.js';
import type { SubgraphAvailability } from '../availability/types.js';
import { backoff } from '../platform/backoff.js';
import type { Logger } from '../platform/logger.js';
import { BackgroundCompositions } from './backgroundCompositions.js';
import type { CompositionJob, CompositionJobResult } from './composeSdl.js';
import {
  compositionKey,
  hashSdl,
  type Composition,
  SupergraphComposer,
  type CompositionEvent,
  type Reduction,
  type SubgraphDefinition,
} from './composeSupergraph.js';
import { fetchSubgraphSdl } from './fetchSdl.js';

export type { CompositionEvent };

/** What composition knows of one remote subgraph. */
export interface SubgraphCompositionStatus {
  readonly name: string;
  readonly url: string;
  readonly availability: SubgraphAvailability;
  /** Set when the subgraph is up but its SDL cannot be read; it then counts as unavailable. */
  readonly sdlError?: string;
  /** The last SDL read, kept while the subgraph is down so its operations can still be listed. */
  readonly typeDefs?: DocumentNode;
  /** Up with a fresh SDL: it belongs in the supergraph. */
  readonly composable: boolean;
}

export interface CompositionStatus {
  readonly subgraphs: ReadonlyMap<string, SubgraphCompositionStatus>;
  /**
   * Set when nothing of the available set composes, not even reduced: the previous
   * supergraph is kept. Cleared by the next success.
   */
  readonly failure?: { readonly subgraphs: readonly string[]; readonly errors: readonly string[] };
  /** What the wanted supergraph leaves out of the available subgraphs so that they compose. */
  readonly reduction?: Reduction;
}

export interface SupergraphManagerOptions {
  endpoints: ReadonlyMap<string, SubgraphEndpoint>;
  availability: AvailabilityState;
  /** Subgraphs served in-process (the affordances subgraph), always composed. */
  localSubgraphs: readonly SubgraphDefinition[];
  sdlTimeoutMs: number;
  sdlRetryMs: number;
  logger: Logger;
  /** Told of every composition the gateway waited for (metrics). */
  onComposition?: (event: CompositionEvent) => void;
  /** Compose the sets likely to be needed next in the background. Default true. */
  precompose?: boolean;
  /** Told of each supergraph composed in the background (the gateway may build it ahead too). */
  onPrecomposed?: (supergraphSdl: string) => void;
}

interface SdlState {
  text?: string;
  typeDefs?: DocumentNode;
  hash?: string;
  /** The URL it was read from: a subgraph that moved (discovery) is read again at its new URL. */
  readFrom?: string;
  /** `since` of the availability verdict the SDL was read for; a new up-period reads it again. */
  readFor?: number;
  error?: string;
  fetching: boolean;
  attempt: number;
  retry?: NodeJS.Timeout;
}

const MAX_SDL_RETRY_MS = 10_000;

type ServedComposition = Extract<Composition, { ok: true }>;

/**
 * Keeps the gateway's supergraph equal to the composition of exactly the available
 * subgraphs (plus the local ones). Plugs into @apollo/gateway as its `supergraphSdl`
 * manager. Level-triggered: every pass recomputes the wanted set from the current
 * availability and SDLs, so the order or repetition of changes does not matter. After
 * each pass it composes, on a worker thread, the sets one change away (a subgraph going
 * down or coming back), so a change usually finds its supergraph already composed.
 */
export class SupergraphManager {
  private readonly composer: SupergraphComposer;
  private readonly background: BackgroundCompositions;
  /** SDL text of the local subgraphs (printed once), by name@hash. */
  private readonly localSdl = new Map<string, string>();
  private readonly sdl = new Map<string, SdlState>();
  private readonly listeners = new Set<(status: CompositionStatus) => void>();
  private readonly inflight = new Set<Promise<void>>();
  private endpoints: ReadonlyMap<string, SubgraphEndpoint>;
  private started = false;
  /** The supergraph composed last from the wanted set (kept when a composition fails). */
  private served?: ServedComposition;
  private current: CompositionStatus = { subgraphs: new Map() };
  private scheduled = false;
  private stopped = false;
  private unsubscribe = () => {};

  constructor(private readonly options: SupergraphManagerOptions) {
    this.endpoints = options.endpoints;
    this.composer = new SupergraphComposer(options.onComposition);
    this.background = new BackgroundCompositions(
      (result) => this.storeComposed(result),
      (error) => options.logger.warn({ err: error }, 'background composition failed; composing when needed instead'),
    );
  }

  /** Reads the SDLs of the subgraphs available now and composes the first supergraph. */
  async start(): Promise<void> {
    this.unsubscribe = this.options.availability.subscribe(() => this.schedule());
    this.startFetches();
    await this.whenFetched();
    this.served = this.reconcile() ?? this.composeLocalOnly();
    this.started = true;
    this.tell();
  }

  /** The supergraph that should be served now: the composition of the available set (the serving core's feed). */
  wanted(): string | undefined {
    return this.served?.supergraphSdl;
  }

  /** The current status of every remote subgraph. */
  status(): CompositionStatus {
    return this.current;
  }

  /** Calls `listener` after every reconcile pass (status and `wanted()` are then current); returns an unsubscribe function. */
  subscribe(listener: (status: CompositionStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Replaces the set of remote subgraphs (discovery). */
  setEndpoints(endpoints: ReadonlyMap<string, SubgraphEndpoint>): void {
    this.endpoints = endpoints;
    this.schedule();
  }

  /** Holds background compositions back while `held` (see BackgroundCompositions.hold). */
  holdBackground(held: boolean): void {
    this.background.hold(held);
  }

  /** Resolves once the compositions likely to be needed next are cached (or could not be made). */
  whenPrecomposed(): Promise<void> {
    return this.background.whenIdle();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    void this.background.stop();
    for (const state of this.sdl.values()) clearTimeout(state.retry);
  }

  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      if (this.stopped) return;
      this.startFetches();
      // Until the first supergraph is out, start() composes once every SDL is in;
      // composing each partial set as SDLs arrive costs a composition per subgraph.
      if (!this.started) return;
      const composition = this.reconcile();
      if (composition && composition.supergraphSdl !== this.served?.supergraphSdl) this.served = composition;
      this.tell();
    });
  }

  /** Starts reading the SDL of every available subgraph whose SDL is not fresh. */
  private startFetches(): void {
    const availability = this.options.availability.snapshot();
    for (const [name, endpoint] of this.endpoints) {
      const verdict = availability.get(name);
      const state = this.stateOf(name);
      if (!verdict?.available) {
        clearTimeout(state.retry);
        state.retry = undefined;
        state.error = undefined;
        state.attempt = 0;
        continue;
      }
      if (sdlIsCurrent(state, verdict, endpoint) || state.fetching || state.retry) continue;
      const fetching = this.fetch(name, endpoint.url, verdict.since.getTime());
      this.inflight.add(fetching);
      void fetching.finally(() => this.inflight.delete(fetching));
    }
  }

  private async fetch(name: string, url: string, readFor: number): Promise<void> {
    const state = this.stateOf(name);
    state.fetching = true;
    try {
      const text = await fetchSubgraphSdl(url, this.options.sdlTimeoutMs);
      const hash = hashSdl(text);
      if (hash !== state.hash) Object.assign(state, { text, hash, typeDefs: parse(text) });
      Object.assign(state, { readFor, readFrom: url, error: undefined, attempt: 0 });
    } catch (error) {
      state.error = (error as Error).message;
      const delay = backoff(state.attempt++, this.options.sdlRetryMs, MAX_SDL_RETRY_MS);
      this.options.logger.warn({ subgraph: name, err: state.error, retryInMs: delay }, 'cannot read subgraph SDL');
      state.retry = setTimeout(() => {
        state.retry = undefined;
        this.schedule();
      }, delay);
      state.retry.unref();
    } finally {
      state.fetching = false;
    }
    this.schedule();
  }

  private async whenFetched(): Promise<void> {
    await Promise.all(this.inflight);
  }

  /** Computes the wanted set and its supergraph; publishes the status. Undefined when composition fails. */
  private reconcile(): ServedComposition | undefined {
    const availability = this.options.availability.snapshot();
    const statuses = new Map<string, SubgraphCompositionStatus>();
    const wanted: SubgraphDefinition[] = [];
    const known: SubgraphDefinition[] = [];
    for (const [name, endpoint] of this.endpoints) {
      const state = this.stateOf(name);
      const verdict = availability.get(name) ?? unknownVerdict(name);
      const fresh = verdict.available && sdlIsCurrent(state, verdict, endpoint) && !state.error;
      statuses.set(name, {
        name,
        url: endpoint.url,
        availability: verdict,
        sdlError: verdict.available ? (state.error ?? (fresh ? undefined : 'reading its SDL')) : undefined,
        typeDefs: state.typeDefs,
        composable: fresh,
      });
      if (state.typeDefs && state.hash) {
        const definition = { name, url: endpoint.url, typeDefs: state.typeDefs, sdlHash: state.hash };
        (fresh ? wanted : known).push(definition);
      }
    }
    this.composer.resize(2 * this.endpoints.size + 8);
    const set = [...this.options.localSubgraphs, ...wanted];
    const established = this.established();
    const composition = this.composer.compose(set, known, established);
    this.precompose(wanted, known, established);
    if (!composition.ok) {
      if (this.current.failure?.errors.join() !== composition.errors.join()) {
        this.options.logger.error(
          { subgraphs: composition.subgraphs, errors: composition.errors },
          `composition of ${composition.subgraphs.join(', ')} failed, even reduced; keeping the previous supergraph`,
        );
      }
    }
    if (composition.ok && composition.reduction && composition.supergraphSdl !== this.served?.supergraphSdl) {
      const { removed, dropped } = composition.reduction;
      this.options.logger.warn(
        { removed: removed.map((r) => `${r.subgraph}: ${r.coordinate}`), dropped: dropped.map((d) => d.name) },
        `the available subgraphs compose only reduced: ${removed.length} elements left out, ${dropped.length} subgraphs dropped`,
      );
    }
    this.current = {
      subgraphs: statuses,
      failure: composition.ok ? undefined : { subgraphs: composition.subgraphs, errors: composition.errors },
      reduction: composition.ok ? composition.reduction : this.served?.reduction,
    };
    return composition.ok ? composition : undefined;
  }

  /**
   * Hands the background composer the sets one change away from `wanted`: each subgraph
   * that is down (but whose SDL is known) coming back, and each one going down. Those
   * already cached are skipped (and kept as recently used).
   */
  private precompose(
    wanted: readonly SubgraphDefinition[],
    down: readonly SubgraphDefinition[],
    established: readonly string[],
  ): void {
    if (this.options.precompose === false || this.stopped) return;
    const locals = this.options.localSubgraphs;
    const sets = [
      ...down.map((back) => ({ up: [...locals, ...wanted, back], down: down.filter((s) => s !== back) })),
      ...wanted.map((gone) => ({ up: [...locals, ...wanted.filter((s) => s !== gone)], down: [...down, gone] })),
    ];
    const text = (s: SubgraphDefinition) => ({ name: s.name, url: s.url, sdl: this.sdlText(s), sdlHash: s.sdlHash });
    const jobs: CompositionJob[] = [];
    for (const set of sets) {
      const key = compositionKey(set.up, set.down);
      if (this.composer.lookup(key, established)) continue;
      jobs.push({ key, subgraphs: set.up.map(text), unavailable: set.down.map(text), established });
    }
    this.background.submit(jobs);
  }

  private sdlText(subgraph: SubgraphDefinition): string {
    const remote = this.sdl.get(subgraph.name);
    if (remote?.text && remote.hash === subgraph.sdlHash) return remote.text;
    const key = `${subgraph.name}@${subgraph.sdlHash}`;
    let text = this.localSdl.get(key);
    if (text === undefined) this.localSdl.set(key, (text = print(subgraph.typeDefs)));
    return text;
  }

  private storeComposed(result: CompositionJobResult): void {
    const { key, subgraphs, established } = result;
    if (!result.ok) {
      this.composer.store(key, { ok: false, errors: result.errors, subgraphs });
      return;
    }
    const { supergraphSdl, reduction } = result;
    this.composer.store(key, { ok: true, supergraphSdl, subgraphs, ...(reduction && { reduction, established }) });
    this.options.onPrecomposed?.(supergraphSdl);
  }

  /** The subgraphs the wanted supergraph serves as they are (not dropped by a reduction). */
  private established(): string[] {
    const served = this.served;
    if (!served) return [];
    const dropped = new Set(served.reduction?.dropped.map((d) => d.name));
    return served.subgraphs.filter((name) => !dropped.has(name));
  }

  private tell(): void {
    for (const listener of this.listeners) listener(this.current);
  }

  private composeLocalOnly(): ServedComposition {
    const composition = this.composer.compose(this.options.localSubgraphs);
    if (!composition.ok)
      throw new Error(`the gateway's own subgraphs do not compose: ${composition.errors.join('; ')}`);
    return composition;
  }

  private stateOf(name: string): SdlState {
    let state = this.sdl.get(name);
    if (!state) this.sdl.set(name, (state = { fetching: false, attempt: 0 }));
    return state;
  }
}

function unknownVerdict(name: string): SubgraphAvailability {
  return { name, available: false, reason: 'no availability verdict yet', since: new Date(0), checks: [] };
}

/** True when the SDL held was read in the subgraph's current up-period, at its current URL. */
const sdlIsCurrent = (state: SdlState, verdict: SubgraphAvailability, endpoint: SubgraphEndpoint) =>
  state.readFor === verdict.since.getTime() && state.readFrom === endpoint.url;
