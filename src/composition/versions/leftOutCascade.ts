import { elementKey } from '../reduction/schemaElement.js';
import { staticDecisions } from '../reduction/staticRules.js';
import { withoutRemoved, type SubgraphModel } from '../reduction/subgraphModel.js';
import { cascadeDetail } from './cascadeDetail.js';
import type { VersionDifference } from './types.js';
import { validityDecisions } from './validityDecisions.js';
import type { VersionSignatures } from './versionSignatures.js';

/**
 * The direct differences and what they take along, to a fixpoint: the reduction's static
 * rules on the base version alone (a field returning a type left out goes, an argument of
 * one, the field when it is required, input fields likewise, union members, `implements`,
 * a @key, @requires or @provides mentioning a field left out, a type emptied), and the
 * rules that keep the rest a valid subgraph (validityDecisions). Each element once, the
 * first reason kept; every pass only adds, so it ends.
 */
export function leftOutCascade(
  base: SubgraphModel,
  signatures: VersionSignatures,
  direct: readonly VersionDifference[],
): VersionDifference[] {
  const differences = new Map<string, VersionDifference>();
  const add = (difference: VersionDifference) => {
    const key = elementKey(difference.element);
    if (differences.has(key)) return false;
    differences.set(key, difference);
    return true;
  };
  for (const difference of direct) add(difference);
  for (;;) {
    const current = withoutRemoved(base, new Set(differences.keys()));
    const kept = { original: base, current, removed: new Map() };
    const decided = [
      ...staticDecisions({ kept: [kept], down: [], dropped: [] }).map((decision) => ({
        element: decision.element,
        detail: cascadeDetail(decision, base, signatures.roots),
      })),
      ...validityDecisions(base, current, signatures),
    ];
    let progressed = false;
    for (const difference of decided) progressed = add(difference) || progressed;
    if (!progressed) return [...differences.values()];
  }
}
