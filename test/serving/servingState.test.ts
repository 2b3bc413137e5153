import { Supergraph } from '@apollo/federation-internals';
import { parse, print, printSchema, type DocumentNode } from 'graphql';
import { composeDefinitions, hashSdl } from '../../src/composition/composeSupergraph.js';
import { PlannerPool } from '../../src/serving/planner/plannerPool.js';
import { SUPPORTED_FEATURES } from '../../src/serving/planner/supportedFeatures.js';
import { buildServingState, supergraphId } from '../../src/serving/servingState.js';
import { typeDefs as customers } from '../../subgraphs/customers/typeDefs.js';
import { typeDefs as invoices } from '../../subgraphs/invoices/typeDefs.js';

/** A subgraph with what the API schema must leave out or keep: @inaccessible, interfaces, enums, deprecations. */
const shapes = parse(/* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@inaccessible", "@shareable"])

  "Something with a name."
  interface Named {
    name: String!
  }
  type Shape implements Named @key(fields: "id") {
    id: ID!
    name: String!
    secret: String @inaccessible
    kind: ShapeKind!
    sides: Int @deprecated(reason: "use kind")
  }
  enum ShapeKind {
    ROUND
    ANGULAR
    HIDDEN @inaccessible
  }
  input ShapeFilter {
    kind: ShapeKind
    nameLike: String = "%"
  }
  type Query {
    shapes(filter: ShapeFilter): [Shape!]!
  }
`);

const definition = (name: string, typeDefs: DocumentNode) => ({
  name,
  url: `http://${name}/graphql`,
  typeDefs,
  sdlHash: hashSdl(print(typeDefs)),
});

function supergraphOf(...subgraphs: [string, DocumentNode][]): string {
  const composed = composeDefinitions(subgraphs.map(([name, typeDefs]) => definition(name, typeDefs)));
  if (!composed.ok) throw new Error(composed.errors.join('; '));
  return composed.supergraphSdl;
}

const numbered = (i: number) =>
  parse(`extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@shareable"])
    type Query { n${i}: Int }`);

// Every supergraph here is small: on threads with `inlineBelowChars` 0, on the event loop with no bound.
describe.each([
  ['on planner threads', 0],
  ['on the event loop', Infinity],
])('buildServingState, planners %s', (_, inlineBelowChars) => {
  const planner = new PlannerPool({ inlineBelowChars });
  const options = { planner, dataSourceFor: () => ({ process: async () => ({ data: {} }) }) };
  afterAll(() => planner.stop());

  // Stock Apollo Gateway refuses the demo's SECURITY features; federation builds the API schema
  // of the same supergraph once told they are supported, as the planner thread is.
  test('validates against the API schema federation builds from the same supergraph', async () => {
    const sdl = supergraphOf(['customers', customers], ['invoices', invoices], ['shapes', shapes]);
    const state = await buildServingState(sdl, options);
    const stock = Supergraph.build(sdl, { supportedFeatures: new Set(SUPPORTED_FEATURES) })
      .apiSchema()
      .toGraphQLJSSchema();
    expect(printSchema(state.schema)).toBe(printSchema(stock));
    expect(state.schema.getType('Shape')).toBeDefined();
    expect(printSchema(state.schema)).not.toMatch(/secret|HIDDEN|join__/);
    expect([...state.subgraphs].sort()).toEqual(['customers', 'invoices', 'shapes']);
  });

  test('plans once per key, and again after the planner let the supergraph go', async () => {
    const first = supergraphOf(['a', numbered(0)]);
    const state = await buildServingState(first, options);
    const plan = await state.plan('k', '{ n0 }', undefined);
    expect(plan.kind).toBe('QueryPlan');
    expect(await state.plan('k', 'ignored: cached by key', undefined)).toBe(plan);
    // A planner host keeps the planners of the last few supergraphs only.
    for (let i = 1; i <= 6; i++) await buildServingState(supergraphOf(['a', numbered(i)]), options);
    expect(await state.plan('k2', '{ n0 }', undefined)).toEqual(plan);
  });

  test('rejects, naming the reason, when the supergraph cannot be served', async () => {
    await expect(buildServingState('type Query { not a supergraph', options)).rejects.toThrow(/Syntax Error/);
    expect(supergraphId('x')).toHaveLength(64);
  });
});
