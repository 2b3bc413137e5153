import { parse } from 'graphql';

/**
 * The invoices subgraph's SDL (federation 2). It composes on its own: `Customer` here
 * holds only its key and `invoices`, so the supergraph stays valid without customers.
 * Issuing an invoice needs scope invoices:write (honoured when the gateway has `auth`).
 */
export const typeDefs = parse(/* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@requiresScopes"])

  enum InvoiceStatus {
    OPEN
    PAID
    VOID
  }

  type Invoice @key(fields: "id") {
    id: ID!
    "Amount in the invoice's currency, two decimals."
    amount: Float!
    "ISO 4217 currency code."
    currency: String!
    status: InvoiceStatus!
    description: String!
    "RFC 3339 timestamp of creation."
    createdAt: String!
    customer: Customer!
  }

  type Customer @key(fields: "id") {
    id: ID!
    "This customer's invoices, oldest first."
    invoices: [Invoice!]!
  }

  type Query {
    "One invoice by id (like inv-1)."
    invoice(id: ID!): Invoice
    "Invoices, oldest first, at most \`first\` (1..500)."
    invoices(first: Int = 50): [Invoice!]!
  }

  type Mutation {
    "Issues an OPEN invoice. \`amount\` is positive with at most two decimals."
    createInvoice(customerId: ID!, amount: Float!, currency: String = "EUR", description: String = ""): Invoice!
      @requiresScopes(scopes: [["invoices:write"]])
  }
`);
