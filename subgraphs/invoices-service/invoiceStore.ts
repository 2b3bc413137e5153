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
const INVOICE_ID = /^inv-[1-9][0-9]{0,15}$/;
const CURRENCY = /^[A-Z]{3}$/;
export const MAX_AMOUNT_CENTS = 1_000_000_000_00;
export const MAX_LIST = 500;

/**
 * In-memory invoices; every method validates its arguments and throws the errors above.
 * Indexed by customer, so listing a customer's invoices does not read every invoice.
 */
export class InvoiceStore {
  private readonly invoices = new Map<string, Invoice>();
  private readonly byCustomer = new Map<string, Invoice[]>();
  private nextId = 1;

  constructor(seed: readonly CreateInvoiceRequest[] = SEED_INVOICES) {
    for (const request of seed) this.create(request);
  }

  listByCustomers(customerIds: readonly string[]): Invoice[] {
    if (customerIds.length === 0) throw new InvalidArgument('customer_ids', 'at least one customer id is required');
    if (customerIds.length > MAX_LIST) throw new InvalidArgument('customer_ids', `at most ${MAX_LIST} ids per call`);
    customerIds.forEach((id) => checkCustomerId('customer_ids', id));
    // In creation order, as a scan of all invoices would give them.
    return [...new Set(customerIds)]
      .flatMap((id) => this.byCustomer.get(id) ?? [])
      .sort((a, b) => sequenceOf(a) - sequenceOf(b));
  }

  list(limit: number): Invoice[] {
    const effective = limit === 0 ? 50 : limit;
    if (effective < 1 || effective > MAX_LIST) throw new InvalidArgument('limit', `must be between 1 and ${MAX_LIST}`);
    const first: Invoice[] = [];
    for (const invoice of this.invoices.values()) {
      if (first.length === effective) break;
      first.push(invoice);
    }
    return first;
  }

  get(id: string): Invoice {
    checkLength('id', id, ARGUMENT_MAX_CHARS.id);
    if (!INVOICE_ID.test(id)) throw new InvalidArgument('id', `${echoed(id)} is not an invoice id (like inv-1)`);
    const invoice = this.invoices.get(id);
    if (!invoice) throw new InvoiceNotFound(id);
    return invoice;
  }

  create(request: CreateInvoiceRequest): Invoice {
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
    const invoice: Invoice = {
      id: `inv-${this.nextId++}`,
      customerId: request.customerId,
      amountCents: request.amountCents,
      currency,
      status: 'INVOICE_STATUS_OPEN',
      description: request.description,
      createdAt: new Date().toISOString(),
    };
    this.invoices.set(invoice.id, invoice);
    const ofCustomer = this.byCustomer.get(invoice.customerId);
    if (ofCustomer) ofCustomer.push(invoice);
    else this.byCustomer.set(invoice.customerId, [invoice]);
    return invoice;
  }
}

/** The number in an invoice id (inv-12 → 12): ids are handed out in creation order. */
const sequenceOf = (invoice: Invoice) => Number(invoice.id.slice('inv-'.length));

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

const seed = (customerId: string, amountCents: number, description: string): CreateInvoiceRequest => ({
  customerId,
  amountCents,
  currency: 'EUR',
  description,
});

export const SEED_INVOICES: readonly CreateInvoiceRequest[] = [
  seed('1', 12050, 'Analytical engine maintenance'),
  seed('1', 4200, 'Punched cards'),
  seed('2', 99900, 'Compiler licence'),
  seed('3', 31400, 'Bombe rotor set'),
];
