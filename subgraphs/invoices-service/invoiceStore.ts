import type { Queryable } from '../shared/database/database.js';
import { ARGUMENT_MAX_CHARS } from '../shared/argumentLimits.js';
import { echoed } from '../shared/echoed.js';
import type { CreateInvoiceRequest, Invoice } from './proto.js';

/** An argument the service refuses, named so the caller can point at it. */
export class InvalidArgument extends Error {
  override readonly name = 'InvalidArgument';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** No invoice with that id. */
export class InvoiceNotFound extends Error {
  override readonly name = 'InvoiceNotFound';
  constructor(readonly id: string) {
    super(`invoice ${id} does not exist`);
  }
}

const CUSTOMER_ID = /^[1-9][0-9]{0,15}$/;
const INVOICE_ID = /^inv-([1-9][0-9]{0,15})$/;
const CURRENCY = /^[A-Z]{3}$/;
/** 1 000 000 000.00 in cents: the table's check says the same. */
export const MAX_AMOUNT_CENTS = 1_000_000_000_00;
export const MAX_LIST = 500;

/** A row as selected: every column as text, the same from PostgreSQL and PGlite. */
interface InvoiceRow extends Omit<Invoice, 'amountCents'> {
  amountCents: string;
}

const COLUMNS = `'inv-' || id AS id, customer_id::text AS "customerId", amount_cents::text AS "amountCents",
  currency, 'INVOICE_STATUS_' || status AS status, description,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"`;
/** The table, aliased: `ORDER BY i.id` is the number, where a bare `id` would be the text column above. */
const TABLE = 'invoices.invoices i';

/** Below 2^53, so a number holds it exactly. */
const fromRow = (row: InvoiceRow): Invoice => ({ ...row, amountCents: Number(row.amountCents) });

/**
 * The invoices table (see migrations.ts). Every method validates its arguments before
 * any query and throws the errors above; listing a customer's invoices reads its index.
 */
export class InvoiceStore {
  constructor(private readonly db: Queryable) {}

  async listByCustomers(customerIds: readonly string[]): Promise<Invoice[]> {
    if (customerIds.length === 0) throw new InvalidArgument('customer_ids', 'at least one customer id is required');
    if (customerIds.length > MAX_LIST) throw new InvalidArgument('customer_ids', `at most ${MAX_LIST} ids per call`);
    customerIds.forEach((id) => checkCustomerId('customer_ids', id));
    const rows = await this.db.query<InvoiceRow>(
      `SELECT ${COLUMNS} FROM ${TABLE} WHERE i.customer_id = ANY($1::bigint[]) ORDER BY i.id`,
      [[...new Set(customerIds)]],
    );
    return rows.map(fromRow);
  }

  async list(limit: number): Promise<Invoice[]> {
    const effective = limit === 0 ? 50 : limit;
    if (effective < 1 || effective > MAX_LIST) throw new InvalidArgument('limit', `must be between 1 and ${MAX_LIST}`);
    const rows = await this.db.query<InvoiceRow>(`SELECT ${COLUMNS} FROM ${TABLE} ORDER BY i.id LIMIT $1`, [effective]);
    return rows.map(fromRow);
  }

  async get(id: string): Promise<Invoice> {
    checkLength('id', id, ARGUMENT_MAX_CHARS.id);
    const number = INVOICE_ID.exec(id)?.[1];
    if (!number) throw new InvalidArgument('id', `${echoed(id)} is not an invoice id (like inv-1)`);
    const [row] = await this.db.query<InvoiceRow>(`SELECT ${COLUMNS} FROM ${TABLE} WHERE i.id = $1::bigint`, [number]);
    if (!row) throw new InvoiceNotFound(id);
    return fromRow(row);
  }

  /** Resolves once the invoice is committed. */
  async create(request: CreateInvoiceRequest): Promise<Invoice> {
    checkCustomerId('customer_id', request.customerId);
    if (!Number.isInteger(request.amountCents) || request.amountCents <= 0) {
      throw new InvalidArgument('amount_cents', `must be a positive number of cents, got ${request.amountCents}`);
    }
    if (request.amountCents > MAX_AMOUNT_CENTS) {
      throw new InvalidArgument('amount_cents', `must be at most ${MAX_AMOUNT_CENTS}`);
    }
    const currency = request.currency === '' ? 'EUR' : request.currency;
    checkLength('currency', currency, ARGUMENT_MAX_CHARS.currency);
    if (!CURRENCY.test(currency))
      throw new InvalidArgument('currency', `${echoed(currency)} is not an ISO 4217 code like EUR`);
    checkLength('description', request.description, ARGUMENT_MAX_CHARS.description);
    const [row] = await this.db.query<InvoiceRow>(
      `INSERT INTO invoices.invoices (customer_id, amount_cents, currency, description)
       VALUES ($1::bigint, $2::bigint, $3, $4) RETURNING ${COLUMNS}`,
      [request.customerId, String(request.amountCents), currency, request.description],
    );
    return fromRow(row!);
  }
}

function checkCustomerId(field: string, id: string): void {
  checkLength(field, id, ARGUMENT_MAX_CHARS.customerId);
  if (!CUSTOMER_ID.test(id)) {
    throw new InvalidArgument(field, `${echoed(id)} is not a customer id (a positive integer)`);
  }
}

/** Refuses a value longer than `max` before anything else looks at it. */
function checkLength(field: string, value: string, max: number): void {
  if (value.length > max) throw new InvalidArgument(field, `must be at most ${max} characters, got ${value.length}`);
}
