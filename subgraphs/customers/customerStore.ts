import { UNIQUE_VIOLATION, sqlState, type Queryable } from '../shared/database/database.js';
import { echoed } from '../shared/echoed.js';

/** A customer as stored. */
export interface Customer {
  id: string;
  name: string;
  email: string;
  /** RFC 3339, UTC, milliseconds. */
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

/** The columns as the API shows them; the same text from PostgreSQL and PGlite (no driver type parsing). */
const COLUMNS = `id::text AS id, name, email,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"`;
/** The table, aliased: `ORDER BY c.id` is the number, where a bare `id` would be the text column above. */
const TABLE = 'customers.customers c';

/** The customers table (see migrations.ts). Arguments are checked by the caller first (`customerProblems`, `checkCustomerId`). */
export class CustomerStore {
  constructor(private readonly db: Queryable) {}

  /** The customers with these ids (well formed, see `checkCustomerId`), in no particular order. */
  getMany(ids: readonly string[]): Promise<Customer[]> {
    return this.db.query<Customer>(`SELECT ${COLUMNS} FROM ${TABLE} WHERE c.id = ANY($1::bigint[])`, [ids]);
  }

  /** The first customers in creation order. */
  list(first: number): Promise<Customer[]> {
    return this.db.query<Customer>(`SELECT ${COLUMNS} FROM ${TABLE} ORDER BY c.id LIMIT $1`, [first]);
  }

  /**
   * Inserts a customer that has no problems (`customerProblems`); resolves once committed.
   * An email taken already (by any replica, in any case) is a problem, not an error.
   */
  async insert(input: NewCustomer): Promise<{ customer: Customer } | { problem: InputProblem }> {
    const email = input.email.trim();
    try {
      const [customer] = await this.db.query<Customer>(
        `INSERT INTO customers.customers (name, email) VALUES ($1, $2) RETURNING ${COLUMNS}`,
        [input.name.trim(), email],
      );
      return { customer: customer! };
    } catch (error) {
      if (sqlState(error) !== UNIQUE_VIOLATION) throw error;
      return { problem: { argument: 'email', message: `a customer with email ${echoed(email)} already exists` } };
    }
  }
}

/** Problems with a new customer that need no database, empty when it can be inserted. */
export function customerProblems(input: NewCustomer): InputProblem[] {
  const problems: InputProblem[] = [];
  const name = input.name.trim();
  if (name.length === 0 || name.length > 200) {
    problems.push({ argument: 'name', message: 'must be 1 to 200 characters' });
  }
  const email = input.email.trim();
  if (!EMAIL.test(email) || email.length > 254) {
    problems.push({ argument: 'email', message: `${echoed(input.email)} is not an email address` });
  }
  return problems;
}

/** A problem with an id argument, or undefined when it is well formed. */
export function checkCustomerId(id: string): InputProblem | undefined {
  return ID.test(id)
    ? undefined
    : { argument: 'id', message: `${echoed(id)} is not a customer id (a positive integer)` };
}
