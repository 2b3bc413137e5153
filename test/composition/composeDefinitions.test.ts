import { Supergraph } from '@apollo/federation-internals';
import { buildASTSchema, parse, printSchema } from 'graphql';
import { composeDefinitions } from '../../src/composition/composeSupergraph.js';
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
  }
  input ShapeFilter {
    kind: ShapeKind
    nameLike: String = "%"
  }
  type Query {
    shapes(filter: ShapeFilter): [Shape!]!
  }
`);

describe('composeDefinitions', () => {
  test('prints the API schema so that building it gives the schema ApolloGateway builds itself', () => {
    const composed = composeDefinitions([
      { name: 'customers', url: 'http://customers/graphql', typeDefs: customers },
      { name: 'invoices', url: 'http://invoices/graphql', typeDefs: invoices },
      { name: 'shapes', url: 'http://shapes/graphql', typeDefs: shapes },
    ]);
    if (!composed.ok) throw new Error(composed.errors.join('; '));
    const ours = buildASTSchema(parse(composed.apiSchemaSdl, { noLocation: true }), { assumeValidSDL: true });
    const gateways = Supergraph.build(composed.supergraphSdl).apiSchema().toGraphQLJSSchema();
    expect(printSchema(ours)).toBe(printSchema(gateways));
    expect(ours.getType('Shape')).toBeDefined();
    expect(composed.apiSchemaSdl).not.toContain('secret');
    expect(composed.apiSchemaSdl).not.toContain('join__');
  });

  test('returns composition errors as values', () => {
    const clash = (type: string) =>
      parse(`
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@shareable"])
        type Query { same: ${type} @shareable }
      `);
    const composed = composeDefinitions([
      { name: 'a', url: 'http://a/graphql', typeDefs: clash('Int') },
      { name: 'b', url: 'http://b/graphql', typeDefs: clash('String') },
    ]);
    expect(composed.ok).toBe(false);
    expect(!composed.ok && composed.errors.join()).toMatch(/Query\.same/);
  });
});
