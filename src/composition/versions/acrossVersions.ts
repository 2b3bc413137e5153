import type { VersionSignatures } from './versionSignatures.js';

/** A version as the comparison names it: by the first characters of its hash. */
export interface LabeledVersion {
  readonly label: string;
  readonly signatures: VersionSignatures;
}

/** The versions that have one element alike (`value`), or lack it (`value` undefined). */
export interface VersionGroup<T> {
  readonly value: T | undefined;
  readonly labels: readonly string[];
}

/**
 * The versions grouped by what they have for one element, compared by `signature`:
 * groups ordered by their first label, labels in order, so the wording does not depend
 * on the order the versions came in.
 */
export function acrossVersions<T>(
  versions: readonly LabeledVersion[],
  read: (version: VersionSignatures) => T | undefined,
  signature: (value: T) => string,
): VersionGroup<T>[] {
  const groups = new Map<string | undefined, { value: T | undefined; labels: string[] }>();
  for (const version of [...versions].sort((a, b) => compare(a.label, b.label))) {
    const value = read(version.signatures);
    const key = value === undefined ? undefined : signature(value);
    const group = groups.get(key) ?? { value, labels: [] };
    group.labels.push(version.label);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** One version has it as all the others do. */
export function alike(groups: readonly VersionGroup<unknown>[]): boolean {
  return groups.length === 1 && groups[0]!.value !== undefined;
}

/** A part of a sentence about versions: `returns` `String in 3f1c`. */
export interface Phrase {
  readonly verb: string;
  readonly rest: string;
}

/**
 * `subject verb rest and verb rest…`, a verb said once while it repeats:
 * `field Customer.tier returns String in 3f1c and Tier in 9ab2 and is unknown to 77aa`.
 * `present` words a group that has it (`differs`: not all of those have it alike), or
 * leaves it unsaid; the versions that lack it are said last, `unknown to` them.
 */
export function sentence<T>(
  subject: string,
  groups: readonly VersionGroup<T>[],
  present: (value: T, labels: string, differs: boolean) => Phrase | undefined,
): string {
  const differs = groups.filter((g) => g.value !== undefined).length > 1;
  const lackingLast = [...groups.filter((g) => g.value !== undefined), ...groups.filter((g) => g.value === undefined)];
  const phrases = lackingLast.flatMap((g) => {
    const labels = g.labels.join(', ');
    if (g.value === undefined) return [{ verb: 'is', rest: `unknown to ${labels}` }];
    return present(g.value, labels, differs) ?? [];
  });
  return `${subject} ${phrases.map((p, i) => (i > 0 && phrases[i - 1]!.verb === p.verb ? p.rest : `${p.verb} ${p.rest}`)).join(' and ')}`;
}

/** Code-point order, not the locale's: the same in every thread. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
