import { seededRandom } from '../../test/helpers/seededRandom.js';
import type { WorkloadData } from '../load/workloads.js';
import { post, type Subgraphs } from './contenders.js';

/** An invoice as the queries select it. */
export interface DataSetInvoice {
  id: string;
  amount: number;
  status: string;
}

/** A customer of the data set with its invoices, oldest first. */
export interface DataSetCustomer {
  id: string;
  name: string;
  email: string;
  createdAt: string;
  invoices: DataSetInvoice[];
}

/** What the subgraphs hold after seeding (read back from them), and what the workloads draw from. */
export interface DataSet {
  /** In creation order, as `customers(first:)` lists them. */
  customers: DataSetCustomer[];
  workload: WorkloadData;
}

export interface DataSetOptions {
  /** Customers in all, the demo's own included. */
  customers: number;
  /** Each customer created gets 0..maxInvoices invoices. */
  maxInvoices: number;
  /** Largest page size the list workload draws. */
  maxPage: number;
  seed: number;
}

/** The benchmark's data set: 200 customers (the demo's 3 among them), 0–5 invoices each, pages of 1–100. */
export const DATA_SET: DataSetOptions = { customers: 200, maxInvoices: 5, maxPage: 100, seed: 14 };

/** Customer ids the mutations write to: far above the data set's, so no query's answer changes. */
const MUTATION_CUSTOMERS = { from: 100_000, count: 1000 };
/** Requests in flight at once while seeding. */
const PARALLEL = 8;

/** Sends a GraphQL request to a subgraph and returns its data, throwing on any error. */
async function graphql<T>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const answer = JSON.parse(await post(url, JSON.stringify({ query, variables }))) as {
    data?: T;
    errors?: { message: string }[];
  };
  if (answer.errors || !answer.data) {
    throw new Error(`seeding the data set: ${answer.errors?.[0]?.message ?? 'no data'} (${query.slice(0, 60)})`);
  }
  return answer.data;
}

/** Runs `task` for every item, `PARALLEL` at a time, in order of the items. */
async function inBatches<T>(items: readonly T[], task: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += PARALLEL) await Promise.all(items.slice(i, i + PARALLEL).map(task));
}

/**
 * Creates the benchmark's data set through the subgraphs' own GraphQL APIs (no gateway):
 * customers up to `options.customers` (createCustomer), each new one with 0..maxInvoices
 * invoices (createInvoice on the invoices subgraph, amounts drawn from the seed), then
 * reads everything back from the subgraphs — customers in creation order, invoices through
 * the invoices subgraph's `_entities` — so the answer check compares with what they hold.
 */
export async function seedDataSet(subgraphs: Subgraphs, options: DataSetOptions): Promise<DataSet> {
  const random = seededRandom(options.seed);
  const listed = await graphql<{ customers: { id: string }[] }>(
    subgraphs.customers,
    'query { customers(first: 500) { id } }',
  );
  const toCreate = Array.from({ length: Math.max(0, options.customers - listed.customers.length) }, (_, i) => {
    const n = listed.customers.length + i + 1;
    const invoices = Array.from(
      { length: Math.floor(random() * (options.maxInvoices + 1)) },
      () => (100 + Math.floor(random() * 99_900)) / 100,
    );
    return { name: `Customer ${n}`, email: `customer-${n}@bench.example`, invoices };
  });
  const created: { id: string; amounts: number[] }[] = [];
  await inBatches(toCreate, async ({ name, email, invoices }) => {
    const { createCustomer } = await graphql<{ createCustomer: { id: string } }>(
      subgraphs.customers,
      'mutation ($name: String!, $email: String!) { createCustomer(name: $name, email: $email) { id } }',
      { name, email },
    );
    created.push({ id: createCustomer.id, amounts: invoices });
  });
  // Invoices in a fixed order (by customer, then as drawn), so invoice ids follow from the seed.
  created.sort((a, b) => Number(a.id) - Number(b.id));
  for (const { id, amounts } of created) {
    for (const amount of amounts) {
      await graphql(
        subgraphs.invoices,
        'mutation ($customerId: ID!, $amount: Float!) { createInvoice(customerId: $customerId, amount: $amount, description: "seed") { id } }',
        { customerId: id, amount },
      );
    }
  }
  const customers = await readBack(subgraphs);
  for (const { id, amounts } of created) {
    const held = customers.find((c) => c.id === id)?.invoices.map((i) => i.amount);
    if (JSON.stringify(held) !== JSON.stringify(amounts)) {
      throw new Error(
        `seeding the data set: customer ${id} holds invoices ${JSON.stringify(held)}, not ${JSON.stringify(amounts)}`,
      );
    }
  }
  return {
    customers,
    workload: {
      customerIds: customers.map((c) => c.id),
      maxPage: Math.min(options.maxPage, customers.length),
      mutationCustomers: MUTATION_CUSTOMERS,
    },
  };
}

/** Every customer from the customers subgraph, with its invoices from the invoices subgraph. */
async function readBack(subgraphs: Subgraphs): Promise<DataSetCustomer[]> {
  const { customers } = await graphql<{ customers: Omit<DataSetCustomer, 'invoices'>[] }>(
    subgraphs.customers,
    'query { customers(first: 500) { id name email createdAt } }',
  );
  const { _entities } = await graphql<{ _entities: { invoices: DataSetInvoice[] }[] }>(
    subgraphs.invoices,
    'query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Customer { invoices { id amount status } } } }',
    { representations: customers.map((c) => ({ __typename: 'Customer', id: c.id })) },
  );
  return customers.map((customer, i) => ({ ...customer, invoices: _entities[i]!.invoices }));
}
