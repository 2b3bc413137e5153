import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

/** Subgraphs to compose, as SDL text (what can cross to a worker thread). */
export interface CompositionJob {
  readonly key: string;
  readonly subgraphs: readonly { readonly name: string; readonly url: string; readonly sdl: string }[];
}

export interface CompositionJobResult {
  readonly key: string;
  readonly supergraphSdl?: string;
  readonly errors?: readonly string[];
  readonly durationMs: number;
}

/** Composes one job; pure, so it runs the same in a worker thread or in-process. */
export function composeSdl(job: CompositionJob): CompositionJobResult {
  const started = performance.now();
  try {
    const result = composeServices(job.subgraphs.map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) })));
    const durationMs = performance.now() - started;
    return result.errors
      ? { key: job.key, errors: result.errors.map((e) => e.message), durationMs }
      : { key: job.key, supergraphSdl: result.supergraphSdl, durationMs };
  } catch (error) {
    return {
      key: job.key,
      errors: [String((error as Error).message ?? error)],
      durationMs: performance.now() - started,
    };
  }
}
