import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../src/platform/errorCodes.js';
import type { Logger } from '../../src/platform/logger.js';
import { badUserInput } from '../shared/badUserInput.js';
import { DatabaseUnavailable } from '../shared/database/database.js';
import type { DatabaseHealth } from '../shared/database/databaseHealth.js';
import { databaseUnavailableError } from '../shared/database/databaseUnavailableError.js';
import type { GraphQLResolverMap } from '../shared/resolverMap.js';
import { checkCustomerId, customerProblems, type Customer, type CustomerStore } from './customerStore.js';

const MAX_PAGE = 500;

export interface CustomerResolverDeps {
  store: CustomerStore;
  /** Told when a query finds the database unavailable, so the subgraph turns unavailable at once. */
  health: DatabaseHealth;
  logger: Logger;
}

/** Resolvers over a store; every argument is checked before any query. */
export function customerResolvers({ store, health, logger }: CustomerResolverDeps): GraphQLResolverMap<unknown> {
  /** Awaits a store call: an unreachable database is BACKEND_UNAVAILABLE, anything else internal (logged). */
  const stored = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      if (error instanceof DatabaseUnavailable) {
        health.recheck();
        throw databaseUnavailableError('customers', error.reason);
      }
      logger.error({ err: error }, 'customers query failed');
      throw new GraphQLError('internal error in the customers subgraph', {
        extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
      });
    }
  };
  // The customers looked up in one tick (one _entities fetch: a customer per invoice) in one query.
  const byId = new DataLoader<string, Customer | null>(
    async (ids) => {
      const found = new Map((await stored(() => store.getMany(ids))).map((c) => [c.id, c]));
      return ids.map((id) => found.get(id) ?? null);
    },
    { cache: false, maxBatchSize: MAX_PAGE },
  );
  // An id that is not one of ours cannot name a customer: null, without a query.
  const lookup = (id: string) => (checkCustomerId(id) ? null : byId.load(id));
  return {
    Query: {
      customer: (_: unknown, args: { id: string }) => {
        const problem = checkCustomerId(args.id);
        if (problem) throw badUserInput(problem.argument, problem.message);
        return lookup(args.id);
      },
      customers: (_: unknown, args: { first: number }) => {
        if (args.first < 1 || args.first > MAX_PAGE) throw badUserInput('first', `must be between 1 and ${MAX_PAGE}`);
        return stored(() => store.list(args.first));
      },
    },
    Mutation: {
      createCustomer: async (_: unknown, args: { name: string; email: string }) => {
        const [problem] = customerProblems(args);
        if (problem) throw badUserInput(problem.argument, problem.message);
        const result = await stored(() => store.insert(args));
        if ('problem' in result) throw badUserInput(result.problem.argument, result.problem.message);
        return result.customer;
      },
    },
    Customer: {
      __resolveReference: (ref: { id: string }) => lookup(ref.id),
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
