import { parse } from 'graphql';
import { composeDefinitions, type ComposedSupergraph } from './composeSupergraph.js';

/** Subgraphs to compose, as SDL text (what can cross to a worker thread). */
export interface CompositionJob {
  readonly key: string;
  readonly subgraphs: readonly { readonly name: string; readonly url: string; readonly sdl: string }[];
}

export type CompositionJobResult = ComposedSupergraph & { readonly key: string; readonly durationMs: number };

/** Composes one job; pure, so it runs the same in a worker thread or in-process. */
export function composeSdl(job: CompositionJob): CompositionJobResult {
  const started = performance.now();
  let composed: ComposedSupergraph;
  try {
    composed = composeDefinitions(job.subgraphs.map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) })));
  } catch (error) {
    composed = { ok: false, errors: [`a subgraph's SDL does not parse: ${(error as Error).message}`] };
  }
  return { ...composed, key: job.key, durationMs: performance.now() - started };
}
