import type { DocumentNode } from 'graphql';
import { subgraphModel } from '../reduction/subgraphModel.js';
import { withoutElements } from '../reduction/withoutElements.js';
import { elementKey } from '../reduction/schemaElement.js';
import { compare, type LabeledVersion } from './acrossVersions.js';
import { leftOutCascade } from './leftOutCascade.js';
import type { CommonSchema, SchemaVersion } from './types.js';
import { versionDifferences } from './versionDifferences.js';
import { versionSignatures } from './versionSignatures.js';

export type { CommonSchema, SchemaVersion, VersionDifference } from './types.js';

/** How many characters of a hash name a version in the details. */
const LABEL_LENGTH = 4;

/**
 * What all the versions of a subgraph serving at once (a rolling update) have in common:
 * the base version (the one most endpoints serve, ties to the smallest hash) without
 * every element some version lacks or has otherwise, and what that takes along (see
 * README.md). A query valid against the result is accepted by every version, and every
 * version's answers fit its types.
 *
 * Pure and deterministic: the order of `versions` does not matter (the same hash given
 * twice is one version, its endpoints added up), and the result is plain data. When one
 * version serves, or all agree, the base document itself comes back. Throws on misuse:
 * no version at all.
 */
export function commonSchema(versions: readonly SchemaVersion[]): CommonSchema {
  if (versions.length === 0) throw new TypeError('commonSchema: no version given');
  const distinct = distinctVersions(versions);
  const [base, ...others] = distinct;
  if (others.length === 0) return { typeDefs: base!.typeDefs, differences: [] };
  const labeled: LabeledVersion[] = distinct.map((v) => ({
    label: v.hash.slice(0, LABEL_LENGTH),
    signatures: versionSignatures(v.typeDefs),
  }));
  const baseSignatures = labeled[0]!.signatures;
  const direct = versionDifferences(baseSignatures, labeled);
  if (direct.length === 0) return { typeDefs: base!.typeDefs, differences: [] };
  const differences = leftOutCascade(subgraphModel('base', base!.typeDefs), baseSignatures, direct);
  return {
    typeDefs: withoutElements(base!.typeDefs, new Set(differences.map((d) => elementKey(d.element)))),
    differences,
  };
}

/** One version per hash, endpoints added up: the base first, then the others by hash. */
function distinctVersions(versions: readonly SchemaVersion[]): SchemaVersion[] {
  const byHash = new Map<string, { hash: string; typeDefs: DocumentNode; endpoints: number }>();
  for (const v of versions) {
    const known = byHash.get(v.hash);
    if (known) known.endpoints += v.endpoints;
    else byHash.set(v.hash, { hash: v.hash, typeDefs: v.typeDefs, endpoints: v.endpoints });
  }
  return [...byHash.values()].sort((a, b) => b.endpoints - a.endpoints || compare(a.hash, b.hash));
}
