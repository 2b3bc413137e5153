/** The three operations every contender is loaded with. */
export interface Scenario {
  id: 'single' | 'cross' | 'mutation';
  title: string;
  /** The GraphQL POST body. */
  body: string;
  /** Subgraph that answers it alone when called directly, if one does. */
  direct?: 'customers' | 'invoices';
}

const body = (query: string, operationName: string, variables?: Record<string, unknown>) =>
  JSON.stringify({ query, operationName, ...(variables && { variables }) });

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'single',
    title: 'single-subgraph query (customers)',
    body: body('query Customers { customers { id name email } }', 'Customers'),
    direct: 'customers',
  },
  {
    id: 'cross',
    title: 'cross-subgraph query (customers with their invoices, via gRPC)',
    body: body(
      'query CustomersWithInvoices { customers { id name invoices { id amount status } } }',
      'CustomersWithInvoices',
    ),
  },
  {
    id: 'mutation',
    title: 'mutation (createInvoice, via gRPC)',
    // For a customer id outside the listed customers, so the queries above keep their answers.
    body: body(
      'mutation CreateInvoice($customerId: ID!, $amount: Float!) { createInvoice(customerId: $customerId, amount: $amount, description: "bench") { id amount status } }',
      'CreateInvoice',
      { customerId: '9000', amount: 12.5 },
    ),
    direct: 'invoices',
  },
];
