import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { compose } from '@apollo/composition';
import { Subgraphs } from '@apollo/federation-internals';
import type { DocumentNode } from 'graphql';
import { BuiltSubgraphs, SubgraphBuildError } from './builtSubgraphs.js';
import { withRoomFor } from './withRoomFor.js';
import { reduceSubgraphs, type DroppedSubgraph, type Removal } from './reduction/index.js';

/** A subgraph as composition sees it. */
export interface SubgraphDefinition {
  readonly name: string;
  readonly url: string;
  readonly typeDefs: DocumentNode;
  /** Hash of the SDL text, so a changed schema is a different cache key. */
  readonly sdlHash: string;
}

/** One call of the composer, for metrics. */
export interface CompositionEvent {
  readonly ok: boolean;
  /** Answered from the cache of known sets. */
  readonly cached: boolean;
  readonly durationMs: number;
}

/** What was left out so that the available subgraphs compose (see reduction/README.md). Plain data. */
export interface Reduction {
  /** Elements removed from available subgraphs because they need what is gone. */
  readonly removed: readonly Removal[];
  /** Available subgraphs that could not be reduced to something composable, with composition's errors. */
  readonly dropped: readonly DroppedSubgraph[];
}

/** The outcome of composing a set of subgraphs. */
export type ComposedSupergraph =
  | {
      ok: true;
      supergraphSdl: string;
      /** Set when the set composed only once reduced. */
      reduction?: Reduction;
    }
  | { ok: false; errors: readonly string[] };

/** A subgraph that is down, as reduction reads it: its last-known SDL, when there is one. */
export interface UnavailableDefinition {
  readonly name: string;
  readonly typeDefs?: DocumentNode;
  readonly sdlHash?: string;
}

/**
 * Composes the available subgraphs; when they do not compose, composes the most of them
 * that can be served without the unavailable ones (reduceSubgraphs), and says what was
 * left out. Fails only when nothing composes at all.
 */
export function composeAvailable(
  available: readonly SubgraphDefinition[],
  unavailable: readonly UnavailableDefinition[],
  built: BuiltSubgraphs = new BuiltSubgraphs(),
  /** Subgraphs served as they are now: a conflict is resolved in the others first (see ReductionInput). */
  established: readonly string[] = [],
): ComposedSupergraph {
  const plain = composeDefinitions(available, built);
  if (plain.ok) return plain;
  let reduced;
  try {
    reduced = reduceSubgraphs({ available, unavailable, established });
  } catch {
    // A subgraph that does not even parse as federation's: keep composition's own errors.
    return plain;
  }
  if (reduced.outcome.kind === 'nothingComposes') return plain;
  return {
    ok: true,
    supergraphSdl: reduced.outcome.supergraphSdl,
    reduction: { removed: reduced.removed, dropped: reduced.dropped },
  };
}

export type Composition = ComposedSupergraph & {
  subgraphs: readonly string[];
  /** The established subgraphs a reduction was made with (see ReductionInput.established). */
  established?: readonly string[];
};

/**
 * Composes subgraphs with Apollo's composition, building each through `built` (so a
 * subgraph composed before is not built again). Runs the same in a worker thread.
 */
export function composeDefinitions(
  subgraphs: readonly SubgraphDefinition[],
  built: BuiltSubgraphs = new BuiltSubgraphs(),
): ComposedSupergraph {
  built.reserve(2 * subgraphs.length);
  try {
    const set = new Subgraphs();
    for (const subgraph of subgraphs) set.add(built.get(subgraph));
    const result = compose(set);
    if (result.errors) return { ok: false, errors: result.errors.map((e) => e.message) };
    return { ok: true, supergraphSdl: result.supergraphSdl };
  } catch (error) {
    if (error instanceof SubgraphBuildError) return { ok: false, errors: error.errors };
    return { ok: false, errors: [String((error as Error).message ?? error)] };
  }
}

export function hashSdl(sdl: string): string {
  return createHash('sha256').update(sdl).digest('hex').slice(0, 16);
}

/**
 * The cache key of a set to compose: the available subgraphs by name, SDL hash and URL (the
 * URL is in the supergraph), then the down ones whose SDL a reduction reads, in name
 * order. (A reduction also depends on the established subgraphs: see `lookup`.)
 */
export function compositionKey(
  available: readonly { name: string; sdlHash: string; url: string }[],
  unavailable: readonly { name: string; sdlHash?: string }[] = [],
): string {
  // Code-unit order: any total order makes one key per set, and localeCompare costs
  // several times as much (this runs for every set one change away).
  const sorted = <T extends { name: string }>(list: readonly T[]) =>
    [...list].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const up = sorted(available).map((s) => JSON.stringify([s.name, s.sdlHash, s.url]));
  const down = sorted(unavailable).map((s) => JSON.stringify([s.name, s.sdlHash ?? null]));
  return `${up.join(',')}|${down.join(',')}`;
}

/**
 * Composes sets of subgraphs (reduced when they do not compose as they are), remembering
 * the last `capacity` results by the set and the SDL hashes, so a subgraph that flaps back to a known set costs a map look-up. Results
 * composed elsewhere (in the background) can be stored ahead of need.
 */
export class SupergraphComposer {
  private cache: LRUCache<string, Composition>;
  private readonly built = new BuiltSubgraphs();

  constructor(
    private readonly onCompose: (event: CompositionEvent) => void = () => {},
    /** Sets remembered at least; the manager raises it with the number of subgraphs (`resize`). */
    capacity = 64,
  ) {
    this.cache = new LRUCache({ max: capacity });
  }

  /** Remembers at least `capacity` sets from now on. */
  resize(capacity: number): void {
    this.cache = withRoomFor(this.cache, capacity);
  }

  compose(
    subgraphs: readonly SubgraphDefinition[],
    unavailable: readonly UnavailableDefinition[] = [],
    established: readonly string[] = [],
  ): Composition {
    const sorted = [...subgraphs].sort((a, b) => a.name.localeCompare(b.name));
    const key = compositionKey(sorted, unavailable);
    const cached = this.lookup(key, established);
    if (cached) {
      this.onCompose({ ok: cached.ok, cached: true, durationMs: 0 });
      return cached;
    }
    const started = performance.now();
    const names = sorted.map((s) => s.name);
    const composed = composeAvailable(sorted, unavailable, this.built, established);
    const composition: Composition = { ...composed, subgraphs: names, ...(isReduced(composed) && { established }) };
    this.onCompose({ ok: composition.ok, cached: false, durationMs: performance.now() - started });
    this.store(key, composition);
    return composition;
  }

  /**
   * The cached composition of a key, refreshed as recently used; undefined when not cached.
   * A reduction is what it is only for the established subgraphs it was made with.
   */
  lookup(key: string, established: readonly string[]): Composition | undefined {
    const cached = this.cache.get(key);
    if (!cached || !isReduced(cached)) return cached;
    return sameNames(cached.established ?? [], established) ? cached : undefined;
  }

  /** Remembers a composition made elsewhere (in the background), evicting the least recently used. */
  store(key: string, composition: Composition): void {
    this.cache.set(key, composition);
  }
}

const isReduced = (composed: ComposedSupergraph) => composed.ok && composed.reduction !== undefined;

const sameNames = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
