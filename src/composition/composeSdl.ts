import { parse } from 'graphql';
import { BuiltSubgraphs, SubgraphBuildError } from './builtSubgraphs.js';
import { composeDefinitions, type ComposedSupergraph } from './composeSupergraph.js';

/** Subgraphs to compose, as SDL text (what can cross to a worker thread). */
export interface CompositionJob {
  readonly key: string;
  readonly subgraphs: readonly {
    readonly name: string;
    readonly url: string;
    readonly sdl: string;
    readonly sdlHash: string;
  }[];
}

export type CompositionJobResult = ComposedSupergraph & { readonly key: string; readonly durationMs: number };

/**
 * Composes one job, building its subgraphs through `built` (a worker keeps one across its
 * jobs); a subgraph's SDL is parsed only when it must be built.
 */
export function composeSdl(job: CompositionJob, built: BuiltSubgraphs = new BuiltSubgraphs()): CompositionJobResult {
  const started = performance.now();
  const subgraphs = job.subgraphs.map(({ name, url, sdl, sdlHash }) => ({
    name,
    url,
    sdlHash,
    get typeDefs() {
      try {
        return parse(sdl);
      } catch (error) {
        throw new SubgraphBuildError([`subgraph ${name}: its SDL does not parse: ${(error as Error).message}`]);
      }
    },
  }));
  return { ...composeDefinitions(subgraphs, built), key: job.key, durationMs: performance.now() - started };
}
