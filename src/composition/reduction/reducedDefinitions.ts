import { parse, Source } from 'graphql';
import type { AvailableSubgraph, ReductionResult } from './types.js';

/**
 * The kept subgraphs as composition takes them: the caller's own documents for those
 * unchanged, the reduced SDL parsed for the others (a result crossing from a worker
 * carries SDL strings, not documents).
 */
export function reducedDefinitions(
  available: readonly AvailableSubgraph[],
  result: Pick<ReductionResult, 'subgraphs'>,
): AvailableSubgraph[] {
  const byName = new Map(available.map((s) => [s.name, s]));
  return result.subgraphs.map((s) => {
    if (s.changed) return { name: s.name, url: s.url, typeDefs: parse(new Source(s.sdl, s.name)) };
    const given = byName.get(s.name);
    if (!given) throw new TypeError(`reducedDefinitions: subgraph "${s.name}" is not among the available ones`);
    return given;
  });
}
