import fc from 'fast-check';
import { reduceSubgraphs } from '../../../src/composition/reduction/index.js';
import { available as availableOf, composeApi, unavailable as unavailableOf } from './fixtures.js';
import { compositionProblems, keptDocuments, restorableRemovals, unservedNeeds } from './reductionChecks.js';

/**
 * Random small federated graphs that compose with everything up, some subgraphs down:
 * the reduction must compose (a), need nothing gone (b), and lose nothing that could
 * still be served (c, by brute force: no single removal can be restored).
 */

const MAX_SUBGRAPHS = 4;
const MAX_TYPES = 3;
const MAX_FIELDS = 2;

/** What a subgraph that does not own a field does with it. */
type Role = 'none' | 'requires' | 'provides' | 'shareable' | 'override';

interface FieldPlan {
  readonly owner: number;
  readonly roles: readonly Role[];
}

interface TypePlan {
  readonly present: readonly boolean[];
  readonly roots: readonly boolean[];
  readonly fields: readonly FieldPlan[];
}

interface GraphPlan {
  readonly subgraphs: number;
  readonly types: readonly TypePlan[];
  readonly down: readonly boolean[];
}

const perSubgraph = <T>(arb: fc.Arbitrary<T>) => fc.array(arb, { minLength: MAX_SUBGRAPHS, maxLength: MAX_SUBGRAPHS });

const graphPlan: fc.Arbitrary<GraphPlan> = fc.record({
  subgraphs: fc.integer({ min: 2, max: MAX_SUBGRAPHS }),
  types: fc.array(
    fc.record({
      present: perSubgraph(fc.boolean()),
      roots: perSubgraph(fc.boolean()),
      fields: fc.array(
        fc.record({
          owner: fc.nat({ max: MAX_SUBGRAPHS - 1 }),
          roles: perSubgraph(fc.constantFrom<Role>('none', 'none', 'requires', 'provides', 'shareable', 'override')),
        }),
        { minLength: 1, maxLength: MAX_FIELDS },
      ),
    }),
    { minLength: 1, maxLength: MAX_TYPES },
  ),
  down: perSubgraph(fc.boolean()),
});

/** The SDL bodies of a plan, by subgraph name. */
function graphOf(plan: GraphPlan): Record<string, string> {
  const names = Array.from({ length: plan.subgraphs }, (_, i) => `s${i}`);
  const bodies: Record<string, string> = {};
  names.forEach((name, s) => {
    const types: string[] = [];
    const roots = [`${name}Plain: Int`];
    plan.types.forEach((type, t) => {
      const typeName = `T${t}`;
      const owners = type.fields.map((f) => f.owner % plan.subgraphs);
      if (!type.present[s] && !owners.includes(s)) return;
      const fields = ['id: ID!'];
      type.fields.forEach((field, f) => {
        const fieldName = `f${f}`;
        const owner = owners[f]!;
        const roles = names.map((_, i) => (i === owner ? 'none' : (field.roles[i] ?? 'none')));
        if (owner === s) {
          const shared = roles.some((r) => r === 'shareable' || r === 'provides');
          fields.push(`${fieldName}: Int${shared ? ' @shareable' : ''}`);
          return;
        }
        switch (roles[s]) {
          case 'shareable':
            fields.push(`${fieldName}: Int @shareable`);
            break;
          case 'override':
            fields.push(`${fieldName}: Int @override(from: "s${owner}")`);
            break;
          case 'requires':
            fields.push(`${fieldName}: Int @external`, `${fieldName}By${name}: Int @requires(fields: "${fieldName}")`);
            break;
          case 'provides':
            fields.push(`${fieldName}: Int @external`);
            roots.push(`${name}${typeName}${fieldName}: ${typeName} @provides(fields: "${fieldName}")`);
            break;
          default:
            break;
        }
      });
      types.push(`type ${typeName} @key(fields: "id") { ${fields.join(' ')} }`);
      if (type.roots[s]) roots.push(`${name}${typeName}: ${typeName}`);
    });
    bodies[name] = `${types.join('\n')}\ntype Query { ${roots.join(' ')} }`;
  });
  return bodies;
}

function downNames(plan: GraphPlan): string[] {
  const down = Array.from({ length: plan.subgraphs }, (_, i) => i).filter((i) => plan.down[i]);
  // At least one down, at least one up.
  const chosen = down.length === 0 ? [0] : down.length === plan.subgraphs ? down.slice(1) : down;
  return chosen.map((i) => `s${i}`);
}

const seed = Number(process.env['PROPERTY_SEED'] ?? 7_2024);
const numRuns = Number(process.env['PROPERTY_RUNS'] ?? 40);

test(`random graphs with subgraphs down reduce to a maximal composable, self-sufficient set (seed ${seed}, ${numRuns} runs)`, () => {
  let reducedRuns = 0;
  fc.assert(
    fc.property(graphPlan, (plan) => {
      const bodies = graphOf(plan);
      const everything = availableOf(bodies);
      fc.pre(composeApi(everything).ok);
      const down = new Set(downNames(plan));
      const available = everything.filter((s) => !down.has(s.name));
      const unavailable = unavailableOf(Object.fromEntries(Object.entries(bodies).filter(([n]) => down.has(n))));
      const result = reduceSubgraphs({ available, unavailable });
      if (result.outcome.kind === 'reduced') reducedRuns++;
      expect(result.outcome.kind).not.toBe('nothingComposes');
      expect(compositionProblems(available, result)).toEqual([]);
      expect(unservedNeeds(keptDocuments(available, result))).toEqual([]);
      expect(restorableRemovals(available, result).map((r) => `${r.subgraph}:${r.coordinate}`)).toEqual([]);
    }),
    { seed, numRuns, maxSkipsPerRun: 1000 },
  );
  if (process.env['PROPERTY_STATS']) console.log({ reducedRuns });
  // The generator must exercise the reduction, not only graphs that compose as they are.
  if (numRuns >= 10) expect(reducedRuns).toBeGreaterThan(0);
});
