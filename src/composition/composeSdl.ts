import { parse, type DocumentNode } from 'graphql';
import { BuiltSubgraphs, SubgraphBuildError } from './builtSubgraphs.js';
import { composeAvailable, type ComposedSupergraph } from './composeSupergraph.js';

/** Subgraphs to compose, as SDL text (what can cross to a worker thread). */
export interface CompositionJob {
  readonly key: string;
  readonly subgraphs: readonly {
    readonly name: string;
    readonly url: string;
    readonly sdl: string;
    readonly sdlHash: string;
  }[];
  /** The down subgraphs whose last-known SDL a reduction reads. */
  readonly unavailable: readonly { readonly name: string; readonly sdl: string; readonly sdlHash: string }[];
  /** The subgraphs served as they are now (see ReductionInput.established). */
  readonly established: readonly string[];
}

export type CompositionJobResult = ComposedSupergraph & {
  readonly key: string;
  /** Names of the available subgraphs composed. */
  readonly subgraphs: readonly string[];
  /** The job's established subgraphs, which a reduction depends on. */
  readonly established: readonly string[];
  readonly durationMs: number;
};

/**
 * Composes one job, building its subgraphs through `built` (a worker keeps one across its
 * jobs); a subgraph's SDL is parsed only when it must be built or reduced.
 */
export function composeSdl(job: CompositionJob, built: BuiltSubgraphs = new BuiltSubgraphs()): CompositionJobResult {
  const started = performance.now();
  const subgraphs = job.subgraphs.map(({ name, url, sdl, sdlHash }) => {
    let typeDefs: DocumentNode | undefined;
    return {
      name,
      url,
      sdlHash,
      get typeDefs() {
        try {
          return (typeDefs ??= parse(sdl));
        } catch (error) {
          throw new SubgraphBuildError([`subgraph ${name}: its SDL does not parse: ${(error as Error).message}`]);
        }
      },
    };
  });
  // Parsed up front: a reduction reads every document (it cannot be lazy as a build is).
  const unavailable = job.unavailable.map(({ name, sdl, sdlHash }) => ({
    name,
    sdlHash,
    typeDefs: parseOrUndefined(sdl),
  }));
  const composed = composeAvailable(subgraphs, unavailable, built, job.established);
  return {
    ...composed,
    key: job.key,
    subgraphs: job.subgraphs.map((s) => s.name),
    established: job.established,
    durationMs: performance.now() - started,
  };
}

function parseOrUndefined(sdl: string) {
  try {
    return parse(sdl);
  } catch {
    return undefined;
  }
}
