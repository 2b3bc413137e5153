import { credentials, Metadata, status, type Client, type MethodDefinition, type ServiceError } from '@grpc/grpc-js';
import {
  InvoiceServiceClient,
  type CreateInvoiceRequest,
  type GetInvoiceRequest,
  type Invoice,
  type ListInvoicesByCustomerRequest,
  type ListInvoicesRequest,
  type ListInvoicesResponse,
} from '../invoices-service/proto.js';

export interface InvoicesClientOptions {
  /** host:port of the invoices gRPC service. */
  address: string;
  /** Deadline of every call. Default 2000 ms. */
  deadlineMs?: number;
}

/**
 * Typed promise calls over one gRPC channel, reused for the life of the subgraph; every
 * call carries a deadline so a stalled backend cannot hold a GraphQL request forever.
 */
export class InvoicesClient {
  private readonly client: Client;
  private readonly deadlineMs: number;

  constructor(options: InvoicesClientOptions) {
    this.client = new InvoiceServiceClient(options.address, credentials.createInsecure());
    this.deadlineMs = options.deadlineMs ?? 2000;
  }

  listByCustomers(request: ListInvoicesByCustomerRequest): Promise<ListInvoicesResponse> {
    return this.call('ListInvoicesByCustomer', request);
  }

  list(request: ListInvoicesRequest): Promise<ListInvoicesResponse> {
    return this.call('ListInvoices', request);
  }

  get(request: GetInvoiceRequest): Promise<Invoice> {
    return this.call('GetInvoice', request);
  }

  create(request: CreateInvoiceRequest): Promise<Invoice> {
    // int64 on the wire would silently drop a fraction of a cent; refuse it here instead.
    if (!Number.isSafeInteger(request.amountCents)) {
      return Promise.reject(
        invalidArgument(`amount_cents: must be a whole number of cents, got ${request.amountCents}`),
      );
    }
    return this.call('CreateInvoice', request);
  }

  close(): void {
    this.client.close();
  }

  private call<Req, Res>(method: string, request: Req): Promise<Res> {
    const definition = InvoiceServiceClient.service[method] as MethodDefinition<Req, Res>;
    return new Promise<Res>((resolve, reject) => {
      this.client.makeUnaryRequest<Req, Res>(
        definition.path,
        definition.requestSerialize,
        definition.responseDeserialize,
        request,
        new Metadata(),
        { deadline: Date.now() + this.deadlineMs },
        (error: ServiceError | null, response?: Res) => (error ? reject(error) : resolve(response as Res)),
      );
    });
  }
}

/** A client-side INVALID_ARGUMENT shaped like the server's, so one error mapping serves both. */
function invalidArgument(details: string): ServiceError {
  return Object.assign(new Error(`${status.INVALID_ARGUMENT} INVALID_ARGUMENT: ${details}`), {
    code: status.INVALID_ARGUMENT,
    details,
    metadata: new Metadata(),
  });
}
