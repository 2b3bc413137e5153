import {
  OPERATIONS,
  WORKLOAD_OPERATIONS,
  type LoadRequests,
  type OperationId,
  type VariedWorkloadId,
  type WorkloadData,
} from '../load/workloads.js';

/** The hot-key views: one identical query on every request. */
export type HotKeyId = 'hot-single' | 'hot-cross';

/** What every contender is loaded with. */
export interface Scenario {
  id: VariedWorkloadId | HotKeyId;
  title: string;
  /** One identical query on every request: a view that flatters in-flight sharing, not real traffic. */
  hotKey: boolean;
  /** The operations it sends (the report prints their documents). */
  operations: readonly OperationId[];
  /** How its requests vary, for the report. */
  variables: string;
  /** What the load process sends; `seed` differs by round, and is the same for every contender in one. */
  requests: (data: WorkloadData, seed: number) => LoadRequests;
  /** Subgraph that answers it alone when called directly, if one does. */
  direct?: 'customers' | 'invoices';
}

/** The JSON POST body of an operation. */
export const bodyOf = (operation: OperationId, variables?: Record<string, unknown>): string =>
  JSON.stringify({ ...OPERATIONS[operation], ...(variables && { variables }) });

const varied =
  (workload: VariedWorkloadId) =>
  (data: WorkloadData, seed: number): LoadRequests => ({ kind: 'varied', workload, seed, data });
const fixed = (operation: OperationId) => (): LoadRequests => ({ kind: 'fixed', body: bodyOf(operation) });
const operationsOf = (workload: VariedWorkloadId) => WORKLOAD_OPERATIONS[workload].map(([operation]) => operation);

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'single-by-id',
    title: 'single-subgraph by id (one customer)',
    hotKey: false,
    operations: operationsOf('single-by-id'),
    variables: '`id` drawn uniformly from the data set’s customers on every request',
    requests: varied('single-by-id'),
    direct: 'customers',
  },
  {
    id: 'cross-by-id',
    title: 'cross-subgraph by id (one customer with their invoices, via gRPC)',
    hotKey: false,
    operations: operationsOf('cross-by-id'),
    variables: '`id` drawn uniformly from the data set’s customers on every request',
    requests: varied('cross-by-id'),
  },
  {
    id: 'cross-list',
    title: 'cross-subgraph list (the first customers with their invoices, random page size)',
    hotKey: false,
    operations: operationsOf('cross-list'),
    variables: '`first` drawn uniformly from 1 to the largest page size on every request',
    requests: varied('cross-list'),
  },
  {
    id: 'mix',
    title: 'mix with mutations',
    hotKey: false,
    operations: operationsOf('mix'),
    variables: `each request draws its operation (${WORKLOAD_OPERATIONS.mix
      .map(([operation, share]) => `${OPERATIONS[operation].operationName} ${Math.round(share * 100)}%`)
      .join(', ')}) and its variables as above; invoices are created for customers outside the data set`,
    requests: varied('mix'),
  },
  {
    id: 'hot-single',
    title: 'hot key: single-subgraph list, the same query on every request',
    hotKey: true,
    operations: ['customers'],
    variables: 'none: every request is the same',
    requests: fixed('customers'),
    direct: 'customers',
  },
  {
    id: 'hot-cross',
    title: 'hot key: cross-subgraph list, the same query on every request',
    hotKey: true,
    operations: ['customersWithInvoices'],
    variables: 'none: every request is the same',
    requests: fixed('customersWithInvoices'),
  },
];
