import { createHash } from 'node:crypto';
import { compose } from '@apollo/composition';
import { Subgraphs } from '@apollo/federation-internals';
import type { DocumentNode } from 'graphql';
import { BuiltSubgraphs, SubgraphBuildError } from './builtSubgraphs.js';

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

/** The outcome of composing a set of subgraphs. */
export type ComposedSupergraph =
  | {
      ok: true;
      supergraphSdl: string;
    }
  | { ok: false; errors: readonly string[] };

export type Composition = ComposedSupergraph & { subgraphs: readonly string[] };

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

/** The cache key of a set of subgraphs: names and SDL hashes, in name order. */
export function compositionKey(subgraphs: readonly { name: string; sdlHash: string }[]): string {
  return [...subgraphs]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((s) => `${s.name}@${s.sdlHash}`)
    .join(',');
}

/**
 * Composes sets of subgraphs, remembering the last `capacity` results by the set and the
 * SDL hashes, so a subgraph that flaps back to a known set costs a map look-up. Results
 * composed elsewhere (in the background) can be stored ahead of need.
 */
export class SupergraphComposer {
  private readonly cache = new Map<string, Composition>();
  private readonly built = new BuiltSubgraphs();

  constructor(
    private readonly onCompose: (event: CompositionEvent) => void = () => {},
    /** Sets remembered; the manager raises it with the number of subgraphs. */
    public capacity = 64,
  ) {}

  compose(subgraphs: readonly SubgraphDefinition[]): Composition {
    const sorted = [...subgraphs].sort((a, b) => a.name.localeCompare(b.name));
    const key = compositionKey(sorted);
    const cached = this.lookup(key);
    if (cached) {
      this.onCompose({ ok: cached.ok, cached: true, durationMs: 0 });
      return cached;
    }
    const started = performance.now();
    const names = sorted.map((s) => s.name);
    const composition: Composition = { ...composeDefinitions(sorted, this.built), subgraphs: names };
    this.onCompose({ ok: composition.ok, cached: false, durationMs: performance.now() - started });
    this.store(key, composition);
    return composition;
  }

  /** The cached composition of a key, refreshed as recently used; undefined when not cached. */
  lookup(key: string): Composition | undefined {
    const cached = this.cache.get(key);
    if (cached) {
      // Refresh its place: the map's insertion order is the eviction order.
      this.cache.delete(key);
      this.cache.set(key, cached);
    }
    return cached;
  }

  /** Remembers a composition made elsewhere (in the background), evicting the least recently used. */
  store(key: string, composition: Composition): void {
    this.cache.delete(key);
    this.cache.set(key, composition);
    while (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value as string);
  }
}
