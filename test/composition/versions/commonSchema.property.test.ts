import fc from 'fast-check';
import { parse, print } from 'graphql';
import { hashSdl } from '../../../src/composition/composeSupergraph.js';
import { commonSchema, type SchemaVersion } from '../../../src/composition/versions/commonSchema.js';
import { operationProblems, signatureProblems, subgraphProblems } from './commonSchemaChecks.js';
import { arbEdit, arbSchemaPlan, edited, printPlan } from './versionPlans.js';

/**
 * Random subgraphs, and 1 to 3 versions of each made by random edits, as a rolling update
 * serves them: the common schema (a) has only what every version has alike, (b) is a
 * valid subgraph when every version is, (c) is a lone version itself, (d) does not depend
 * on the versions' order, and (e) takes no query that a version would reject.
 */

const arbVersions = fc.record({
  plan: arbSchemaPlan,
  versions: fc.array(
    fc.record({ edits: fc.array(arbEdit, { maxLength: 3 }), endpoints: fc.integer({ min: 1, max: 3 }) }),
    { minLength: 1, maxLength: 3 },
  ),
});

const seed = Number(process.env['PROPERTY_SEED'] ?? 2_2025);
const numRuns = Number(process.env['PROPERTY_RUNS'] ?? 40);

test(`the common schema of random versions is what they all accept and return (seed ${seed}, ${numRuns} runs)`, () => {
  let checked = 0;
  let differing = 0;
  fc.assert(
    fc.property(arbVersions, ({ plan, versions: specs }) => {
      const versions: SchemaVersion[] = specs.map(({ edits, endpoints }) => {
        const sdl = printPlan(edited(plan, edits));
        return { hash: hashSdl(sdl), typeDefs: parse(sdl), endpoints };
      });
      const result = commonSchema(versions);

      // (c) One version, or one twice, is the version itself.
      for (const v of versions) {
        expect(commonSchema([v]).typeDefs).toBe(v.typeDefs);
        expect(commonSchema([v, { ...v, endpoints: 5 }]).typeDefs).toBe(v.typeDefs);
      }
      // (d) The order does not matter.
      for (const order of [[...versions].reverse(), [...versions.slice(1), versions[0]!]]) {
        const again = commonSchema(order);
        expect(print(again.typeDefs)).toBe(print(result.typeDefs));
        expect(again.differences).toEqual(result.differences);
      }

      if (versions.some((v) => subgraphProblems(v.typeDefs).length > 0)) return;
      checked++;
      if (result.differences.length > 0) differing++;
      // (b) A valid subgraph.
      expect(subgraphProblems(result.typeDefs)).toEqual([]);
      // (a) Only what every version has alike.
      const documents = versions.map((v) => v.typeDefs);
      expect(signatureProblems(result.typeDefs, documents)).toEqual([]);
      // (e) No query a version would reject.
      expect(operationProblems(result.typeDefs, documents)).toEqual([]);
    }),
    { seed, numRuns },
  );
  if (process.env['PROPERTY_STATS']) console.log({ checked, differing });
  // The generator must make valid versions that differ, not only invalid or equal ones.
  if (numRuns >= 20) {
    expect(checked).toBeGreaterThan(numRuns / 3);
    expect(differing).toBeGreaterThan(numRuns / 10);
  }
});
