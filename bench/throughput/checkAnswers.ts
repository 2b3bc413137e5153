import { requestDrawer, type OperationId } from '../load/workloads.js';
import { post, type Contender } from './contenders.js';
import type { DataSet, DataSetCustomer } from './dataSet.js';
import type { Scenario } from './scenarios.js';

/** `customers` without `first` lists this many (the customers subgraph's default). */
const DEFAULT_PAGE = 50;
/** What stands for a created invoice's id, which the service hands out. */
const NEW_INVOICE = 'inv-(new)';

const withInvoices = (c: DataSetCustomer) => ({ id: c.id, name: c.name, invoices: c.invoices });

/** The answer the data set gives to an operation (for the mutation, with the new invoice's id left open). */
function expectedAnswer(operation: OperationId, variables: Record<string, unknown>, data: DataSet): unknown {
  const byId = () => data.customers.find((c) => c.id === variables.id) ?? null;
  switch (operation) {
    case 'customerById': {
      const c = byId();
      return { customer: c && { id: c.id, name: c.name, email: c.email, createdAt: c.createdAt } };
    }
    case 'customerWithInvoices': {
      const c = byId();
      return { customer: c && withInvoices(c) };
    }
    case 'customersPage':
      return { customers: data.customers.slice(0, variables.first as number).map(withInvoices) };
    case 'createInvoice':
      return { createInvoice: { id: NEW_INVOICE, amount: variables.amount, currency: 'EUR', status: 'OPEN' } };
    case 'customers':
      return {
        customers: data.customers.slice(0, DEFAULT_PAGE).map((c) => ({ id: c.id, name: c.name, email: c.email })),
      };
    case 'customersWithInvoices':
      return { customers: data.customers.slice(0, DEFAULT_PAGE).map(withInvoices) };
  }
}

/** An answer's text with a created invoice's id (inv-<n>) replaced by the placeholder. */
function comparable(operation: OperationId, answer: unknown): string {
  const text = JSON.stringify(answer);
  return operation === 'createInvoice' ? text.replace(/"id":"inv-[1-9][0-9]*"/, `"id":"${NEW_INVOICE}"`) : text;
}

/**
 * Checks, before any load, that every contender answers a sample of each scenario's
 * requests (drawn as the load process draws them) with what the data set holds (for the
 * mutation: the invoice asked for, with a new id), so no contender is fast because it
 * answers something else.
 */
export async function checkAnswers(
  contenders: readonly Contender[],
  scenarios: readonly Scenario[],
  data: DataSet,
  options: { samples: number; seed: number },
): Promise<void> {
  for (const scenario of scenarios) {
    const requests = scenario.requests(data.workload, options.seed);
    const draw = requests.kind === 'varied' ? requestDrawer(requests) : undefined;
    const samples = draw
      ? Array.from({ length: options.samples }, draw)
      : [{ operation: scenario.operations[0]!, variables: {}, body: requests.kind === 'fixed' ? requests.body : '' }];
    for (const sample of samples) {
      const expected = JSON.stringify({ data: expectedAnswer(sample.operation, sample.variables, data) });
      for (const contender of contenders.filter((c) => c.id !== 'direct' || scenario.direct)) {
        const answer = JSON.parse(await post(contender.url(scenario.direct), sample.body)) as unknown;
        if (comparable(sample.operation, answer) !== expected) {
          throw new Error(
            `${contender.id} answers ${scenario.id} ${sample.body} with ${JSON.stringify(answer).slice(0, 400)}, ` +
              `expected ${expected.slice(0, 400)}`,
          );
        }
      }
    }
  }
}
