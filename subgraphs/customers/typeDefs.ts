import { parse } from 'graphql';

/** The schema versions the demo can serve; 2 adds `Customer.phone`, as a deploy would. */
export type SchemaVersion = 1 | 2;

/**
 * The customers subgraph's SDL (federation 2) in each version. Registering a customer
 * needs a token (`@authenticated`, honoured when the gateway has `auth`).
 */
const sdl = (version: SchemaVersion) => /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@authenticated"])

  """
  A customer of the shop. Invoices are added by the invoices subgraph.
  """
  type Customer @key(fields: "id") {
    id: ID!
    name: String!
    email: String!
    "RFC 3339 timestamp of creation."
    createdAt: String!
    ${version >= 2 ? '"Phone number in E.164 form, when known (new in version 2)." phone: String' : ''}
  }

  type Query {
    "One customer by id, or null when there is none."
    customer(id: ID!): Customer
    "Customers in creation order, at most \`first\` (1..500)."
    customers(first: Int = 50): [Customer!]!
  }

  type Mutation {
    "Registers a customer. The email must be unique."
    createCustomer(name: String!, email: String!): Customer! @authenticated
  }
`;

export const typeDefs = parse(sdl(1));

/** Version 2, served with `--schema-version 2`, or switched to in place with SIGUSR2 (no outage). */
export const typeDefsV2 = parse(sdl(2));
