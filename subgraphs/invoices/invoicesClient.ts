import { credentials, Metadata, status, type Client, type MethodDefinition, type ServiceError } from '@grpc/grpc-js';
import type { Histogram, Registry } from 'prom-client';
import { inSpan, SpanKind } from '../../src/platform/tracing.js';
import { grpcDurationHistogram } from '../shared/grpcMetrics.js';
import { outgoingMetadata } from '../shared/grpcMetadata.js';
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
  /** Where call latency and status are counted (grpc_client_duration_seconds). */
  registry?: Registry;
  /** Largest request message the channel sends (`grpc.max_send_message_length`). Default 64 KiB. */
  maxSendMessageBytes?: number;
  /** Largest response message the channel accepts (`grpc.max_receive_message_length`). Default 4 MiB. */
  maxReceiveMessageBytes?: number;
}

/**
 * Typed promise calls over one gRPC channel, reused for the life of the subgraph; every
 * call carries a deadline (so a stalled backend cannot hold a GraphQL request forever),
 * the request id and the trace context, and runs in a client span.
 */
export class InvoicesClient {
  private readonly client: Client;
  private readonly deadlineMs: number;
  private readonly duration?: Histogram<'method' | 'status'>;

  constructor(options: InvoicesClientOptions) {
    this.client = new InvoiceServiceClient(options.address, credentials.createInsecure(), {
      // Reconnect quickly after the service restarts; grpc-js otherwise backs off for up to two minutes.
      'grpc.initial_reconnect_backoff_ms': 100,
      'grpc.max_reconnect_backoff_ms': 1000,
      'grpc.max_send_message_length': options.maxSendMessageBytes ?? 64 * 1024,
      'grpc.max_receive_message_length': options.maxReceiveMessageBytes ?? 4 * 1024 * 1024,
    });
    this.deadlineMs = options.deadlineMs ?? 2000;
    this.duration = options.registry && grpcDurationHistogram('grpc_client_duration_seconds', options.registry);
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
    return inSpan(`grpc ${definition.path.slice(1)}`, SpanKind.CLIENT, () => {
      const started = performance.now();
      return new Promise<Res>((resolve, reject) => {
        this.client.makeUnaryRequest<Req, Res>(
          definition.path,
          definition.requestSerialize,
          definition.responseDeserialize,
          request,
          // Right after the service restarts the channel is still reconnecting: waiting for it
          // (bounded by the deadline) beats failing a call the gateway already routes here.
          outgoingMetadata({ waitForReady: true }),
          { deadline: Date.now() + this.deadlineMs },
          (error: ServiceError | null, response?: Res) => {
            const code = error ? status[error.code] : 'OK';
            this.duration?.observe({ method, status: code ?? 'UNKNOWN' }, (performance.now() - started) / 1000);
            if (error) reject(error);
            else resolve(response as Res);
          },
        );
      });
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
