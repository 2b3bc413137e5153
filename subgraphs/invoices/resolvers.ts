import DataLoader from 'dataloader';
import { MAX_LIST } from '../invoices-service/invoiceStore.js';
import type { Invoice } from '../invoices-service/proto.js';
import { checkLength } from '../shared/argumentLimits.js';
import { badUserInput } from '../shared/badUserInput.js';
import type { GraphQLResolverMap } from '../shared/resolverMap.js';
import { toGraphQLError } from './grpcErrors.js';
import type { InvoicesClient } from './invoicesClient.js';

/** Awaits a gRPC call, turning its failure into the mapped GraphQL error. */
async function grpc<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw toGraphQLError(error);
  }
}

/** Every resolver goes through the gRPC client; invoices of many customers are fetched in one call. */
export function invoiceResolvers(client: InvoicesClient): GraphQLResolverMap<unknown> {
  // Batches the customers resolved in one tick (e.g. one _entities fetch) into one call.
  const byCustomer = new DataLoader<string, Invoice[]>(
    async (customerIds) => {
      const { invoices } = await grpc(client.listByCustomers({ customerIds: [...customerIds] }));
      return customerIds.map((id) => invoices.filter((invoice) => invoice.customerId === id));
    },
    { cache: false, maxBatchSize: 500 },
  );
  return {
    Query: {
      invoice: async (_: unknown, args: { id: string }) => {
        checkLength('id', args.id);
        return grpc(client.get({ id: args.id }));
      },
      invoices: async (_: unknown, args: { first: number }) => {
        if (args.first < 1 || args.first > MAX_LIST) throw badUserInput('first', `must be between 1 and ${MAX_LIST}`);
        return (await grpc(client.list({ limit: args.first }))).invoices;
      },
    },
    Mutation: {
      createInvoice: async (
        _: unknown,
        args: { customerId: string; amount: number; currency: string; description: string },
      ) => {
        checkLength('customerId', args.customerId);
        checkLength('currency', args.currency);
        checkLength('description', args.description);
        if (!(args.amount > 0)) throw badUserInput('amount', `must be positive, got ${args.amount}`);
        const amountCents = Math.round(args.amount * 100);
        // Exact for every value with at most two decimals, whatever its size.
        if (amountCents / 100 !== args.amount) {
          throw badUserInput('amount', `${args.amount} has more than two decimals`);
        }
        return grpc(
          client.create({
            customerId: args.customerId,
            amountCents,
            currency: args.currency,
            description: args.description,
          }),
        );
      },
    },
    Invoice: {
      __resolveReference: async (ref: { id: string }) => {
        checkLength('id', ref.id);
        return grpc(client.get({ id: ref.id }));
      },
      amount: (invoice: Invoice) => invoice.amountCents / 100,
      status: (invoice: Invoice) => invoice.status.replace('INVOICE_STATUS_', ''),
      customer: (invoice: Invoice) => ({ __typename: 'Customer', id: invoice.customerId }),
    },
    Customer: {
      invoices: async (customer: { id: string }) => {
        checkLength('id', customer.id);
        return byCustomer.load(customer.id);
      },
    },
  };
}
