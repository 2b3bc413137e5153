/**
 * The varied-argument workloads, as data that crosses the process boundary (a workload id,
 * a seed and the ids of the seeded data set), and the function that turns that data into
 * request bodies, one fresh draw per request. The load process sends what it draws; the
 * answer check before loading draws the same way and compares with the data set.
 */
import { seededRandom } from '../../test/helpers/seededRandom.js';

/** The operations the workloads send (the last two, without variables, are the hot-key views). */
export type OperationId =
  'customerById' | 'customerWithInvoices' | 'customersPage' | 'createInvoice' | 'customers' | 'customersWithInvoices';

export const OPERATIONS: Readonly<Record<OperationId, { operationName: string; query: string }>> = {
  customerById: {
    operationName: 'CustomerById',
    query: 'query CustomerById($id: ID!) { customer(id: $id) { id name email createdAt } }',
  },
  customerWithInvoices: {
    operationName: 'CustomerWithInvoices',
    query: 'query CustomerWithInvoices($id: ID!) { customer(id: $id) { id name invoices { id amount status } } }',
  },
  customersPage: {
    operationName: 'CustomersPage',
    query: 'query CustomersPage($first: Int!) { customers(first: $first) { id name invoices { id amount status } } }',
  },
  createInvoice: {
    operationName: 'CreateInvoice',
    query:
      'mutation CreateInvoice($customerId: ID!, $amount: Float!) { createInvoice(customerId: $customerId, amount: $amount, description: "bench") { id amount currency status } }',
  },
  customers: {
    operationName: 'Customers',
    query: 'query Customers { customers { id name email } }',
  },
  customersWithInvoices: {
    operationName: 'CustomersWithInvoices',
    query: 'query CustomersWithInvoices { customers { id name invoices { id amount status } } }',
  },
};

/** The varied workloads: each request draws its operation (by share) and its variables. */
export type VariedWorkloadId = 'single-by-id' | 'cross-by-id' | 'cross-list' | 'mix';

/** Each workload's operations and their shares of its requests (summing to 1). */
export const WORKLOAD_OPERATIONS: Readonly<Record<VariedWorkloadId, readonly (readonly [OperationId, number])[]>> = {
  'single-by-id': [['customerById', 1]],
  'cross-by-id': [['customerWithInvoices', 1]],
  'cross-list': [['customersPage', 1]],
  mix: [
    ['customerById', 0.4],
    ['customerWithInvoices', 0.3],
    ['customersPage', 0.2],
    ['createInvoice', 0.1],
  ],
};

/** What the variables are drawn from: the seeded data set's ids. */
export interface WorkloadData {
  /** Ids of the data set's customers; their invoices do not change while the benchmark runs. */
  customerIds: readonly string[];
  /** Page sizes are drawn from 1..maxPage (never more than the data set has). */
  maxPage: number;
  /**
   * Mutations create invoices for customer ids in [from, from + count), outside the data
   * set, so no query's answer changes under load.
   */
  mutationCustomers: { from: number; count: number };
}

/** What the load process sends: one body on every request (the hot key), or fresh variables on each. */
export type LoadRequests =
  { kind: 'fixed'; body: string } | { kind: 'varied'; workload: VariedWorkloadId; seed: number; data: WorkloadData };

/** One request drawn from a workload. */
export interface DrawnRequest {
  operation: OperationId;
  variables: Record<string, unknown>;
  /** The JSON POST body. */
  body: string;
}

/** Draws requests from a varied workload, deterministically from its seed. */
export function requestDrawer(requests: Extract<LoadRequests, { kind: 'varied' }>): () => DrawnRequest {
  const random = seededRandom(requests.seed);
  const { customerIds, maxPage, mutationCustomers } = requests.data;
  const below = (n: number) => Math.floor(random() * n);
  const shares = WORKLOAD_OPERATIONS[requests.workload];
  const variablesOf: Partial<Record<OperationId, () => Record<string, unknown>>> = {
    customerById: () => ({ id: customerIds[below(customerIds.length)] }),
    customerWithInvoices: () => ({ id: customerIds[below(customerIds.length)] }),
    customersPage: () => ({ first: 1 + below(maxPage) }),
    // A whole number of cents from 1.00 to 999.99, so the amount has at most two decimals.
    createInvoice: () => ({
      customerId: String(mutationCustomers.from + below(mutationCustomers.count)),
      amount: (100 + below(99_900)) / 100,
    }),
  };
  return () => {
    let pick = random();
    const [operation] = shares.find(([, share]) => (pick -= share) < 0) ?? shares[shares.length - 1]!;
    const variables = variablesOf[operation]?.() ?? {};
    const { query, operationName } = OPERATIONS[operation];
    return { operation, variables, body: JSON.stringify({ query, operationName, variables }) };
  };
}
