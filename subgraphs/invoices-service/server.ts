import {
  Server,
  ServerCredentials,
  status,
  type sendUnaryData,
  type ServerUnaryCall,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import type { Logger } from '../../src/runtime/logger.js';
import { InvalidArgument, InvoiceNotFound, InvoiceStore } from './invoiceStore.js';
import { INVOICE_SERVICE_NAME, InvoiceServiceClient } from './proto.js';

export interface InvoicesServiceOptions {
  host?: string;
  /** 0 picks a free port. */
  port: number;
  logger: Logger;
  store?: InvoiceStore;
}

export interface RunningGrpcServer {
  /** host:port to dial. */
  readonly address: string;
  readonly port: number;
  /** Marks the service NOT_SERVING, lets in-flight calls finish (up to graceMs), then stops. */
  close(graceMs?: number): Promise<void>;
}

/** Wraps a store method as a unary handler; store errors become gRPC status codes. */
function unary<Req, Res>(logger: Logger, method: string, run: (request: Req) => Res) {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>): void => {
    try {
      callback(null, run(call.request));
    } catch (error) {
      if (error instanceof InvalidArgument) callback({ code: status.INVALID_ARGUMENT, details: error.message });
      else if (error instanceof InvoiceNotFound) callback({ code: status.NOT_FOUND, details: error.message });
      else {
        logger.error({ err: error, method }, 'invoice call failed');
        callback({ code: status.INTERNAL, details: 'internal error; see the invoices service log' });
      }
    }
  };
}

/** Starts the invoices gRPC service and the standard grpc.health.v1 service beside it. */
export async function startInvoicesService(options: InvoicesServiceOptions): Promise<RunningGrpcServer> {
  const { logger } = options;
  const store = options.store ?? new InvoiceStore();
  const server = new Server();
  const handlers: UntypedServiceImplementation = {
    ListInvoicesByCustomer: unary(logger, 'ListInvoicesByCustomer', (r: { customerIds: string[] }) => ({
      invoices: store.listByCustomers(r.customerIds),
    })),
    ListInvoices: unary(logger, 'ListInvoices', (r: { limit: number }) => ({ invoices: store.list(r.limit) })),
    GetInvoice: unary(logger, 'GetInvoice', (r: { id: string }) => store.get(r.id)),
    CreateInvoice: unary(logger, 'CreateInvoice', store.create.bind(store)),
  };
  server.addService(InvoiceServiceClient.service, handlers);
  const health = new HealthImplementation({ '': 'SERVING', [INVOICE_SERVICE_NAME]: 'SERVING' });
  health.addToServer(server);

  const host = options.host ?? '127.0.0.1';
  const bindHost = host.includes(':') ? `[${host}]` : host;
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${bindHost}:${options.port}`, ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  const dialHost = host === '0.0.0.0' ? '127.0.0.1' : bindHost;
  return {
    address: `${dialHost}:${port}`,
    port,
    close: (graceMs = 5000) => {
      health.setStatus('', 'NOT_SERVING');
      health.setStatus(INVOICE_SERVICE_NAME, 'NOT_SERVING');
      return new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, graceMs);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
    },
  };
}
