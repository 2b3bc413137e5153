import { composeServices, type CompositionResult } from '@apollo/composition';
import { isObjectType, type GraphQLSchema } from 'graphql';
import { typeDefs as customersTypeDefs } from '../../subgraphs/customers/typeDefs.js';
import { typeDefs as invoicesTypeDefs } from '../../subgraphs/invoices/typeDefs.js';

const customers = { name: 'customers', url: 'http://127.0.0.1:4001/graphql', typeDefs: customersTypeDefs };
const invoices = { name: 'invoices', url: 'http://127.0.0.1:4002/graphql', typeDefs: invoicesTypeDefs };

/** The client-facing schema of a successful composition; fails the test with the errors otherwise. */
function apiSchema(result: CompositionResult): GraphQLSchema {
  expect(result.errors?.map((e) => e.message)).toBeUndefined();
  expect(result.supergraphSdl).toEqual(expect.any(String));
  return result.schema!.toAPISchema().toGraphQLJSSchema();
}

const fieldsOf = (schema: GraphQLSchema, typeName: string): string[] => {
  const type = schema.getType(typeName);
  if (!isObjectType(type)) throw new Error(`${typeName} is not an object type in the composed schema`);
  return Object.keys(type.getFields()).sort();
};

const rootFields = (schema: GraphQLSchema, root: 'Query' | 'Mutation') => fieldsOf(schema, root);

describe('subgraph SDLs compose with @apollo/composition', () => {
  test('customers alone', () => {
    const schema = apiSchema(composeServices([customers]));
    expect(fieldsOf(schema, 'Customer')).toEqual(['createdAt', 'email', 'id', 'name']);
    expect(rootFields(schema, 'Query')).toEqual(['customer', 'customers']);
    expect(rootFields(schema, 'Mutation')).toEqual(['createCustomer']);
    expect(schema.getType('Invoice')).toBeUndefined();
  });

  test('invoices alone, still with Customer { id invoices }', () => {
    const schema = apiSchema(composeServices([invoices]));
    expect(fieldsOf(schema, 'Customer')).toEqual(['id', 'invoices']);
    expect(fieldsOf(schema, 'Invoice')).toEqual(
      ['amount', 'createdAt', 'currency', 'customer', 'description', 'id', 'status'].sort(),
    );
    expect(rootFields(schema, 'Query')).toEqual(['invoice', 'invoices']);
    expect(rootFields(schema, 'Mutation')).toEqual(['createInvoice']);
  });

  test('both together, Customer merged across the two', () => {
    const result = composeServices([customers, invoices]);
    const schema = apiSchema(result);
    expect(fieldsOf(schema, 'Customer')).toEqual(['createdAt', 'email', 'id', 'invoices', 'name']);
    expect(rootFields(schema, 'Query')).toEqual(['customer', 'customers', 'invoice', 'invoices']);
    expect(rootFields(schema, 'Mutation')).toEqual(['createCustomer', 'createInvoice']);
    // Both subgraphs are joined, and Customer is keyed by id in each.
    expect(result.supergraphSdl).toMatch(/CUSTOMERS @join__graph\(name: "customers"/);
    expect(result.supergraphSdl).toMatch(/INVOICES @join__graph\(name: "invoices"/);
    expect(result.supergraphSdl).toMatch(
      /type Customer\s+@join__type\(graph: CUSTOMERS, key: "id"\)\s+@join__type\(graph: INVOICES, key: "id"\)/,
    );
  });

  test('the order of the subgraphs does not change the supergraph', () => {
    expect(composeServices([invoices, customers]).supergraphSdl).toBe(
      composeServices([customers, invoices]).supergraphSdl,
    );
  });
});
