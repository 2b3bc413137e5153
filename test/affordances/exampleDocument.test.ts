import { buildSchema, parse, print, validate, type GraphQLObjectType } from 'graphql';
import { exampleDocument } from '../../src/affordances/exampleDocument.js';

const schema = buildSchema(`
  type Query {
    now: String
    item(id: ID!, locale: String = "en"): Item
    items(first: Int, filter: Filter): [Item!]!
    search(text: String!): [Result!]!
    empty: Empty
  }
  type Mutation { rename(id: ID!, name: String!): Item! }
  type Item { id: ID! name: String price(currency: String!): Float tags(limit: Int = 5): [String!] owner: Item }
  type Other { id: ID! }
  type Empty { nested: Item }
  union Result = Item | Other
  input Filter { name: String }
`);

describe('exampleDocument', () => {
  const fields = [
    ...Object.values((schema.getQueryType() as GraphQLObjectType).getFields()).map((f) => ['QUERY', f] as const),
    ...Object.values((schema.getMutationType() as GraphQLObjectType).getFields()).map((f) => ['MUTATION', f] as const),
  ];

  test.each(fields.map(([kind, field]) => [field.name, kind, field] as const))(
    'for %s is valid and printed as graphql-js prints it',
    (_, kind, field) => {
      const document = exampleDocument(kind, field);
      expect(print(parse(document))).toBe(document);
      expect(validate(schema, parse(document))).toEqual([]);
    },
  );

  test('selects leaf fields that need no argument, and binds every argument to a variable', () => {
    expect(exampleDocument('QUERY', schema.getQueryType()!.getFields().item!)).toBe(
      'query Item($id: ID!, $locale: String) {\n  item(id: $id, locale: $locale) {\n    id\n    name\n    tags\n  }\n}',
    );
    expect(exampleDocument('QUERY', schema.getQueryType()!.getFields().now!)).toBe('query Now {\n  now\n}');
  });
});
