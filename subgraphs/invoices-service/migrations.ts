import type { MigrationSet } from '../shared/database/migrate.js';

/**
 * The invoices service's tables, in schema `invoices`. Ids come from an identity sequence
 * (`inv-` and the number), so replicas never hand out the same one; amounts are integer
 * cents, never floating point. Customer ids are not a foreign key: customers live in
 * another service, which may keep them in another database.
 */
export const INVOICE_MIGRATIONS: MigrationSet = {
  schema: 'invoices',
  migrations: [
    {
      id: '0001_invoices',
      sql: `
        CREATE TABLE invoices.invoices (
          id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          customer_id bigint NOT NULL CHECK (customer_id > 0),
          amount_cents bigint NOT NULL CHECK (amount_cents > 0 AND amount_cents <= 100000000000),
          currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
          status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'PAID', 'VOID')),
          description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 500),
          created_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX invoices_customer_id ON invoices.invoices (customer_id, id)`,
    },
    {
      // The invoices of the seeded customers 1 to 3.
      id: '0002_seed',
      sql: `
        INSERT INTO invoices.invoices (customer_id, amount_cents, currency, description) VALUES
          (1, 12050, 'EUR', 'Analytical engine maintenance'),
          (1, 4200, 'EUR', 'Punched cards'),
          (2, 99900, 'EUR', 'Compiler licence'),
          (3, 31400, 'EUR', 'Bombe rotor set')`,
    },
  ],
};
