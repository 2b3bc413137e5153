import type { GraphQLResolverMap } from '../shared/resolverMap.js';
import { badUserInput } from '../shared/badUserInput.js';
import { checkCustomerId, type Customer, type CustomerStore } from './customerStore.js';

const MAX_PAGE = 500;

/** Resolvers over a store; every argument is checked before it reaches the store. */
export function customerResolvers(store: CustomerStore): GraphQLResolverMap<unknown> {
  const lookup = (id: string): Customer | null => {
    const problem = checkCustomerId(id);
    if (problem) throw badUserInput(problem.argument, problem.message);
    return store.get(id) ?? null;
  };
  return {
    Query: {
      customer: (_: unknown, args: { id: string }) => lookup(args.id),
      customers: (_: unknown, args: { first: number }) => {
        if (args.first < 1 || args.first > MAX_PAGE) throw badUserInput('first', `must be between 1 and ${MAX_PAGE}`);
        return store.list(args.first);
      },
    },
    Mutation: {
      createCustomer: (_: unknown, args: { name: string; email: string }) => {
        const [problem] = store.validate(args);
        if (problem) throw badUserInput(problem.argument, problem.message);
        return store.insert(args);
      },
    },
    Customer: {
      __resolveReference: (ref: { id: string }) => store.get(ref.id) ?? null,
      // Version 2 only (the store predates it): a stable demo number derived from the id.
      phone: (customer: Customer) => `+1555${String(demoNumber(customer.id)).padStart(7, '0')}`,
    },
  };
}

/** A number in [0, 10^7) that depends only on `id`. */
function demoNumber(id: string): number {
  let n = 0;
  for (const char of id) n = (n * 31 + char.charCodeAt(0)) % 10_000_000;
  return n;
}
