import { print, type DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { AvailabilityState } from '../availability/availabilityState.js';
import type { SubgraphEndpoint } from '../availability/subgraphSet.js';
import type { SubgraphAvailability } from '../availability/types.js';
import type { Logger } from '../platform/logger.js';
import { BackgroundCompositions } from './backgroundCompositions.js';
import type { CompositionJob, CompositionJobResult } from './composeSdl.js';
import {
  compositionKey,
  type Composition,
  SupergraphComposer,
  type CompositionEvent,
  type Reduction,
  type SubgraphDefinition,
} from './composeSupergraph.js';
import type { Removal } from './reduction/index.js';
import { SubgraphSdls, type SubgraphSchemas } from './subgraphSdls.js';
import { VersionComposer } from './versions/versionComposer.js';

export type { CompositionEvent };

/** What composition knows of one remote subgraph. */
export interface SubgraphCompositionStatus {
  readonly name: string;
  readonly url: string;
  readonly availability: SubgraphAvailability;
  /** Set when the subgraph is up but its SDL cannot be read; it then counts as unavailable. */
  readonly sdlError?: string;
  /**
   * Every definition its serving versions have (the last read kept while it is down), so its
   * operations can still be listed.
   */
  readonly typeDefs?: DocumentNode;
  /** Up with a fresh SDL: it belongs in the supergraph. */
  readonly composable: boolean;
  /** The versions serving now (empty while down or unread), most served first. */
  readonly versions: readonly SubgraphVersionStatus[];
  /** A new version that does not compose with the rest: the last good one is composed instead. */
  readonly rejectedVersion?: { readonly hash: string; readonly errors: readonly string[] };
}

/** One version of a subgraph's schema that serves now. */
export interface SubgraphVersionStatus {
  /** Hash of its SDL. */
  readonly hash: string;
  /** Endpoints (pods) serving it; 0 when versions were read through the Service only. */
  readonly endpoints: number;
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
  /** Largest SDL answer read (config `composition.maxSdlBytes`). */
  maxSdlBytes?: number;
  sdlRetryMs: number;
  /** Mean time between two re-reads of an available subgraph's SDL (see SubgraphSdls). */
  sdlRefreshMs: number;
  logger: Logger;
  /** Told when a new version of a subgraph is rejected because it does not compose (metrics). */
  onVersionRejected?: (subgraph: string) => void;
  /** Told of every composition the gateway waited for (metrics). */
  onComposition?: (event: CompositionEvent) => void;
  /** Compose the sets likely to be needed next in the background. Default true. */
  precompose?: boolean;
  /** Told of each supergraph composed in the background (the gateway may build it ahead too). */
  onPrecomposed?: (supergraphSdl: string) => void;
}

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
  /** SDL text of definitions not read as text (local subgraphs, common schemas of versions), by name@hash. */
  private readonly printed = new LRUCache<string, string>({ max: 256 });
  private readonly sdls: SubgraphSdls;
  /** Per subgraph, the definition last composed as it was read (not rejected): what a version that does not compose falls back to. */
  private readonly lastGood = new Map<string, SubgraphDefinition>();
  /** The versions of each subgraph as composed last, with what they do not share. */
  private readonly versions = new VersionComposer();
  private readonly listeners = new Set<(status: CompositionStatus) => void>();
  private firstReads?: () => void;
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
    this.sdls = new SubgraphSdls({
      timeoutMs: options.sdlTimeoutMs,
      maxBytes: options.maxSdlBytes,
      retryMs: options.sdlRetryMs,
      refreshMs: options.sdlRefreshMs,
      logger: options.logger,
      onChange: () => this.schedule(),
    });
    this.background = new BackgroundCompositions(
      (result) => this.storeComposed(result),
      (error) => options.logger.warn({ err: error }, 'background composition failed; composing when needed instead'),
    );
  }

  /** Reads the SDLs of the subgraphs available now and composes the first supergraph. */
  async start(): Promise<void> {
    this.unsubscribe = this.options.availability.subscribe(() => this.schedule());
    await new Promise<void>((resolve) => {
      this.firstReads = resolve;
      this.schedule();
    });
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
    for (const name of this.lastGood.keys()) if (!endpoints.has(name)) this.lastGood.delete(name);
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

  /** Reads the subgraph's SDL again at once (serving saw it answer that it lacks part of the schema). */
  refresh(subgraph: string): void {
    this.sdls.refresh(subgraph);
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    void this.background.stop();
    this.sdls.stop();
    this.firstReads?.();
  }

  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      if (this.stopped) return;
      // Until the first supergraph is out, start() composes once every SDL is in;
      // composing each partial set as SDLs arrive costs a composition per subgraph.
      if (!this.started) {
        if (this.syncReads().every((s) => !s.available || s.schemas.versions.length || s.schemas.error)) {
          this.firstReads?.();
        }
        return;
      }
      const composition = this.reconcile();
      if (composition && composition.supergraphSdl !== this.served?.supergraphSdl) this.served = composition;
      this.tell();
    });
  }

  /** Syncs the SDL reads of every subgraph with the current availability; what is known of each. */
  private syncReads(): {
    name: string;
    url: string;
    verdict: SubgraphAvailability;
    available: boolean;
    schemas: SubgraphSchemas;
  }[] {
    const availability = this.options.availability.snapshot();
    this.sdls.retain(new Set(this.endpoints.keys()));
    return [...this.endpoints].map(([name, endpoint]) => {
      const verdict = availability.get(name) ?? unknownVerdict(name);
      const schemas = this.sdls.sync(name, endpoint.url, verdict);
      return { name, url: endpoint.url, verdict, available: verdict.available, schemas };
    });
  }

  /** Computes the wanted set and its supergraph; publishes the status. Undefined when composition fails. */
  private reconcile(): ServedComposition | undefined {
    const statuses = new Map<string, SubgraphCompositionStatus>();
    const wanted: SubgraphDefinition[] = [];
    const known: SubgraphDefinition[] = [];
    const versionRemovals: Removal[] = [];
    for (const { name, url, verdict, schemas } of this.syncReads()) {
      const fresh = verdict.available && schemas.versions.length > 0;
      const versions = fresh ? this.versions.compose(name, url, schemas) : undefined;
      statuses.set(name, {
        name,
        url,
        availability: verdict,
        sdlError: verdict.available && !fresh ? (schemas.error ?? 'reading its SDL') : undefined,
        typeDefs: schemas.allDefinitions,
        composable: fresh,
        versions: schemas.versions.map((v) => ({ hash: v.version.hash, endpoints: v.endpoints })),
      });
      if (versions) {
        wanted.push(versions.definition);
        versionRemovals.push(...versions.removals);
      } else if (schemas.lastKnown) {
        const { typeDefs, hash } = schemas.lastKnown;
        known.push({ name, url, typeDefs, sdlHash: hash });
      }
    }
    this.composer.resize(2 * this.endpoints.size + 8);
    const established = this.established();
    const { composition, composed, rejected } = this.composeOrFallBack(wanted, known, established);
    this.precompose(composed, known, established);
    for (const { name, hash, errors } of rejected) {
      const status = statuses.get(name)!;
      statuses.set(name, { ...status, rejectedVersion: { hash, errors } });
      const before = this.current.subgraphs.get(name)?.rejectedVersion;
      if (before?.hash === hash) continue;
      this.options.onVersionRejected?.(name);
      this.options.logger.error(
        { subgraph: name, version: hash, errors },
        `the new version ${hash.slice(0, 8)} of subgraph ${name} does not compose; keeping its last good version`,
      );
    }
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
    const reduction = composition.ok ? composition.reduction : this.served?.reduction;
    const kept = new Set(composed.map((d) => d.name));
    const shared = versionRemovals.filter((r) => kept.has(r.subgraph));
    this.current = {
      subgraphs: statuses,
      failure: composition.ok ? undefined : { subgraphs: composition.subgraphs, errors: composition.errors },
      reduction:
        shared.length > 0
          ? { removed: [...shared, ...(reduction?.removed ?? [])], dropped: reduction?.dropped ?? [] }
          : reduction,
    };
    return composition.ok ? composition : undefined;
  }

  /**
   * Composes the wanted set. When that fails or needs a reduction while some subgraphs
   * changed version since they were last composed, composes them at their last good
   * version instead, and keeps that if it does better: a new version that does not fit
   * the rest must not take the gateway's schema with it. It is tried again when it changes.
   */
  private composeOrFallBack(
    wanted: readonly SubgraphDefinition[],
    known: readonly SubgraphDefinition[],
    established: readonly string[],
  ): {
    composition: Composition;
    composed: readonly SubgraphDefinition[];
    rejected: { name: string; hash: string; errors: readonly string[] }[];
  } {
    const locals = this.options.localSubgraphs;
    const composition = this.composer.compose([...locals, ...wanted], known, established);
    const changed = wanted.filter((d) => {
      const good = this.lastGood.get(d.name);
      return good !== undefined && good.sdlHash !== d.sdlHash;
    });
    let result = {
      composition,
      composed: wanted,
      rejected: [] as { name: string; hash: string; errors: readonly string[] }[],
    };
    if (changed.length > 0 && cost(composition) > 0) {
      const fallenBack = wanted.map((d) => (changed.includes(d) ? { ...this.lastGood.get(d.name)!, url: d.url } : d));
      const fallback = this.composer.compose([...locals, ...fallenBack], known, established);
      if (cost(fallback) < cost(composition)) {
        const errors = compositionErrors(composition);
        result = {
          composition: fallback,
          composed: fallenBack,
          rejected: changed.map((d) => ({ name: d.name, hash: d.sdlHash, errors })),
        };
      }
    }
    if (result.composition.ok) {
      const dropped = new Set(result.composition.reduction?.dropped.map((d) => d.name));
      for (const d of result.composed) if (!dropped.has(d.name)) this.lastGood.set(d.name, d);
    }
    return result;
  }

  /**
   * Hands the background composer the sets one change away from `wanted`: each subgraph
   * that is down (but whose SDL is known) coming back, and each one going down. Those
   * already cached are skipped (and kept as recently used). Listed only once the
   * background composer starts on them (see BackgroundCompositions.submit).
   */
  private precompose(
    wanted: readonly SubgraphDefinition[],
    down: readonly SubgraphDefinition[],
    established: readonly string[],
  ): void {
    if (this.options.precompose === false || this.stopped) return;
    const locals = this.options.localSubgraphs;
    const text = (s: SubgraphDefinition) => ({ name: s.name, url: s.url, sdl: this.sdlText(s), sdlHash: s.sdlHash });
    this.background.submit(() => {
      const sets = [
        ...down.map((back) => ({ up: [...locals, ...wanted, back], down: down.filter((s) => s !== back) })),
        ...wanted.map((gone) => ({ up: [...locals, ...wanted.filter((s) => s !== gone)], down: [...down, gone] })),
      ];
      const jobs: CompositionJob[] = [];
      for (const set of sets) {
        const key = compositionKey(set.up, set.down);
        if (this.composer.lookup(key, established)) continue;
        jobs.push({ key, subgraphs: set.up.map(text), unavailable: set.down.map(text), established });
      }
      return jobs;
    });
  }

  private sdlText(subgraph: SubgraphDefinition): string {
    const read = this.sdls.text(subgraph.name, subgraph.sdlHash);
    if (read !== undefined) return read;
    const key = `${subgraph.name}@${subgraph.sdlHash}`;
    let text = this.printed.get(key);
    if (text === undefined) this.printed.set(key, (text = print(subgraph.typeDefs)));
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
}

/** How much a composition leaves out: 0 when whole, more per removal, far more per dropped subgraph, most when it fails. */
function cost(composition: Composition): number {
  if (!composition.ok) return Number.POSITIVE_INFINITY;
  const reduction = composition.reduction;
  return reduction ? reduction.removed.length + 1000 * reduction.dropped.length : 0;
}

/** What composition said of a set, in words (at most five). */
function compositionErrors(composition: Composition): string[] {
  if (!composition.ok) return composition.errors.slice(0, 5);
  const reduction = composition.reduction;
  return [
    ...(reduction?.dropped ?? []).flatMap((d) => d.errors.map((e) => `subgraph ${d.name}: ${e.message}`)),
    ...(reduction?.removed ?? []).map((r) => r.reason),
  ].slice(0, 5);
}

function unknownVerdict(name: string): SubgraphAvailability {
  return { name, available: false, reason: 'no availability verdict yet', since: new Date(0), checks: [] };
}
