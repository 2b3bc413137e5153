import { LRUCache } from 'lru-cache';
import { hashSdl, type SubgraphDefinition } from '../composeSupergraph.js';
import type { Removal } from '../reduction/index.js';
import { elementKey } from '../reduction/schemaElement.js';
import type { SubgraphSchemas } from '../subgraphSdls.js';
import { commonSchema, type CommonSchema } from './commonSchema.js';

/** A subgraph as composition takes it while its versions serve, with what they do not share. */
export interface ComposedVersions {
  readonly definition: SubgraphDefinition;
  /** What some serving version lacks, left out (rule `versions`); empty with one version. */
  readonly removals: readonly Removal[];
}

/** A version's name in messages: the first characters of its hash. */
export const shortHash = (hash: string) => hash.slice(0, 4);

/**
 * Turns the versions a subgraph serves into the one definition composition takes: the
 * version itself when there is one, else what every version has in common (commonSchema),
 * remembered by the set of versions.
 */
export class VersionComposer {
  private readonly common = new LRUCache<string, CommonSchema>({ max: 64 });

  compose(name: string, url: string, schemas: SubgraphSchemas): ComposedVersions {
    const { versions } = schemas;
    if (versions.length === 1) {
      const { typeDefs, hash } = versions[0]!.version;
      return { definition: { name, url, typeDefs, sdlHash: hash }, removals: [] };
    }
    const hashes = versions.map((v) => v.version.hash).join(' ');
    let common = this.common.get(hashes);
    if (!common) {
      common = withAdditions(versions);
      this.common.set(hashes, common);
    }
    const serving = servingSentence(name, schemas);
    const removals = common.differences.map((difference): Removal => ({
      ...difference.element,
      subgraph: name,
      cause: { rule: 'versions', serving, detail: difference.detail },
      needs: undefined,
      reason: `${serving}; ${difference.detail}`,
    }));
    return { definition: { name, url, typeDefs: common.typeDefs, sdlHash: hashSdl(`versions ${hashes}`) }, removals };
  }
}

/**
 * The common schema, whose differences also list what the other versions add (a field
 * only the new version has is left out too, and clients should hear why): each other
 * version compared with the base, the other version as the base of the comparison.
 */
function withAdditions(versions: SubgraphSchemas['versions']): CommonSchema {
  const [base, ...others] = versions.map((v) => ({ ...v.version, endpoints: v.endpoints }));
  const common = commonSchema([base!, ...others]);
  const seen = new Set(common.differences.map((d) => elementKey(d.element)));
  const additions = others.flatMap((other) =>
    commonSchema([
      { ...other, endpoints: 1 },
      { ...base!, endpoints: 0 },
    ]).differences.filter((d) => {
      const key = elementKey(d.element);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }),
  );
  return { typeDefs: common.typeDefs, differences: [...common.differences, ...additions] };
}

/** E.g. "customers is rolling out (…): 2 pods serve version 3f1c, 1 pod serves 9ab2". */
function servingSentence(name: string, schemas: SubgraphSchemas): string {
  const { signals, versions, readFrom } = schemas;
  const state = signals.rollingOut ? `is rolling out (${signals.detail})` : 'serves several versions';
  if (readFrom === 'service') {
    const list = versions.map((v) => shortHash(v.version.hash)).join(' and ');
    return `${name} ${state}: versions ${list} answer through its Service (its pods cannot be read one by one)`;
  }
  const parts = versions.map(({ version, endpoints }, i) => {
    const pods = `${endpoints} pod${endpoints === 1 ? '' : 's'}`;
    const verb = endpoints === 1 ? 'serves' : 'serve';
    return `${pods} ${verb} ${i === 0 ? 'version ' : ''}${shortHash(version.hash)}`;
  });
  return `${name} ${state}: ${parts.join(', ')}`;
}
