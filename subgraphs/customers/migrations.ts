import type { MigrationSet } from '../shared/database/migrate.js';

/**
 * The customers subgraph's tables, in schema `customers`. Ids come from an identity
 * sequence, so replicas never hand out the same one; an email is unique whatever its
 * case (the index, not a read before the write, decides between two replicas).
 */
export const CUSTOMER_MIGRATIONS: MigrationSet = {
  schema: 'customers',
  migrations: [
    {
      id: '0001_customers',
      sql: `
        CREATE TABLE customers.customers (
          id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
          email text NOT NULL CHECK (char_length(email) <= 254),
          created_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE UNIQUE INDEX customers_email_key ON customers.customers (lower(email))`,
    },
    {
      // So a fresh database has something to show (customers 1 to 3, whom the seeded invoices name).
      id: '0002_seed',
      sql: `
        INSERT INTO customers.customers (name, email) VALUES
          ('Ada Lovelace', 'ada@example.com'),
          ('Grace Hopper', 'grace@example.com'),
          ('Alan Turing', 'alan@example.com')`,
    },
  ],
};
