import type { AttributedError } from './attemptComposition.js';
import { element, elementKey } from './schemaElement.js';
import type { KeptSubgraph } from './staticRules.js';
import type { SchemaElement } from './types.js';

/** What to do about one composition error. */
export type ErrorDecision =
  | {
      readonly action: 'remove';
      readonly subgraph: string;
      readonly element: SchemaElement;
      readonly error: AttributedError;
    }
  | { readonly action: 'drop'; readonly subgraph: string; readonly error: AttributedError }
  /** Nothing removable helps (no subgraph has a query root): stop. */
  | { readonly action: 'giveUp'; readonly error: AttributedError };

/** Codes no removal can fix: removing more only makes them worse. */
const HOPELESS = new Set(['NO_QUERIES']);

/**
 * Picks, for each error, the element to remove, from the error's structure only (its AST
 * nodes, or the witness query of a satisfiability error), never from its message:
 * - an error whose nodes belong to elements removes one of them: in a subgraph already
 *   reduced if there is one (the input composed with everything up, so the conflict most
 *   likely comes from what the reduction changed), then in one not `established` (a
 *   newcomer, rather than what is served now), then the first subgraph by name, then the
 *   first node;
 * - a satisfiability error removes the field its witness query could not reach, from a
 *   kept subgraph resolving it (reduced ones first, then by name);
 * - an error whose nodes name a subgraph but no element drops that subgraph;
 * - an error naming nothing drops a subgraph: a reduced one first, then the first by name.
 */
export function errorDecisions(
  errors: readonly AttributedError[],
  kept: readonly KeptSubgraph[],
  established: ReadonlySet<string> = new Set(),
): ErrorDecision[] {
  const byName = new Map(kept.map((k) => [k.original.name, k]));
  const rank = (subgraph: string) =>
    [((byName.get(subgraph)?.removed.size ?? 0) > 0 ? 0 : 1) + (established.has(subgraph) ? 1 : 0), subgraph] as const;
  const preferred = <T extends { subgraph: string }>(items: readonly T[]): T | undefined =>
    [...items].sort((a, b) => compareRank(rank(a.subgraph), rank(b.subgraph)))[0];

  return errors.map((error): ErrorDecision => {
    if (HOPELESS.has(error.error.code)) return { action: 'giveUp', error };
    const removable = error.targets.filter(
      (t): t is { subgraph: string; element: SchemaElement } =>
        t.element !== undefined && byName.get(t.subgraph)?.removed.has(elementKey(t.element)) === false,
    );
    const target = preferred(removable);
    if (target) return { action: 'remove', subgraph: target.subgraph, element: target.element, error };
    const unreachable = error.unsatisfiablePath?.at(-1);
    if (unreachable) {
      const [type = '', field = ''] = unreachable.split('.');
      const resolvers = kept
        .filter((k) => k.current.types.get(type)?.fields.some((f) => f.name === field && !f.external))
        .map((k) => ({ subgraph: k.original.name }));
      const resolver = preferred(resolvers);
      if (resolver)
        return { action: 'remove', subgraph: resolver.subgraph, element: element.field(type, field), error };
    }
    const named = preferred(error.targets.filter((t) => byName.has(t.subgraph)));
    if (named) return { action: 'drop', subgraph: named.subgraph, error };
    const anyKept = preferred(kept.map((k) => ({ subgraph: k.original.name })));
    return { action: 'drop', subgraph: anyKept?.subgraph ?? '', error };
  });
}

function compareRank(a: readonly [number, string], b: readonly [number, string]): number {
  return a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
}
