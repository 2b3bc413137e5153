import { parse } from 'graphql';

/** The customers subgraph's SDL (federation 2). */
export const typeDefs = parse(/* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])

  """
  A customer of the shop. Invoices are added by the invoices subgraph.
  """
  type Customer @key(fields: "id") {
    id: ID!
    name: String!
    email: String!
    "RFC 3339 timestamp of creation."
    createdAt: String!
  }

  type Query {
    "One customer by id, or null when there is none."
    customer(id: ID!): Customer
    "Customers in creation order, at most \`first\` (1..500)."
    customers(first: Int = 50): [Customer!]!
  }

  type Mutation {
    "Registers a customer. The email must be unique."
    createCustomer(name: String!, email: String!): Customer!
  }
`);
