import { echoed } from '../shared/echoed.js';

/** A customer as stored. */
export interface Customer {
  id: string;
  name: string;
  email: string;
  createdAt: string;
}

export type NewCustomer = Pick<Customer, 'name' | 'email'>;

/** What is wrong with one argument. */
export interface InputProblem {
  argument: string;
  message: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ID = /^[1-9][0-9]{0,15}$/;

/** An in-memory customer table, seeded so a fresh start has something to show. */
export class CustomerStore {
  private readonly byId = new Map<string, Customer>();
  private nextId = 1;

  constructor(seed: readonly NewCustomer[] = SEED_CUSTOMERS) {
    for (const customer of seed) this.insert(customer);
  }

  get(id: string): Customer | undefined {
    return this.byId.get(id);
  }

  list(first: number): Customer[] {
    return [...this.byId.values()].slice(0, first);
  }

  /** Problems with a new customer, empty when it can be created. */
  validate(input: NewCustomer): InputProblem[] {
    const problems: InputProblem[] = [];
    const name = input.name.trim();
    if (name.length === 0 || name.length > 200) {
      problems.push({ argument: 'name', message: 'must be 1 to 200 characters' });
    }
    const email = input.email.trim();
    if (!EMAIL.test(email) || email.length > 254) {
      problems.push({ argument: 'email', message: `${echoed(input.email)} is not an email address` });
    } else if ([...this.byId.values()].some((c) => c.email.toLowerCase() === email.toLowerCase())) {
      problems.push({ argument: 'email', message: `a customer with email ${email} already exists` });
    }
    return problems;
  }

  /** Inserts a validated customer. */
  insert(input: NewCustomer): Customer {
    const customer: Customer = {
      id: String(this.nextId++),
      name: input.name.trim(),
      email: input.email.trim(),
      createdAt: new Date().toISOString(),
    };
    this.byId.set(customer.id, customer);
    return customer;
  }
}

/** A problem with an id argument, or undefined when it is well formed. */
export function checkCustomerId(id: string): InputProblem | undefined {
  return ID.test(id)
    ? undefined
    : { argument: 'id', message: `${echoed(id)} is not a customer id (a positive integer)` };
}

export const SEED_CUSTOMERS: readonly NewCustomer[] = [
  { name: 'Ada Lovelace', email: 'ada@example.com' },
  { name: 'Grace Hopper', email: 'grace@example.com' },
  { name: 'Alan Turing', email: 'alan@example.com' },
];
