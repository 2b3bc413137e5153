import {
  Server,
  ServerCredentials,
  status,
  type sendUnaryData,
  type ServerUnaryCall,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import { randomUUID } from 'node:crypto';
import type { Histogram } from 'prom-client';
import { startHttpServer } from '../../src/platform/http/httpServer.js';
import { createRegistry, metricsHandler } from '../../src/platform/metrics.js';
import { runInRequest } from '../../src/platform/requestContext.js';
import { inSpan, SpanKind } from '../../src/platform/tracing.js';
import type { Logger } from '../../src/platform/logger.js';
import { incomingContext } from '../shared/grpcMetadata.js';
import { grpcDurationHistogram } from '../shared/grpcMetrics.js';
import { InvalidArgument, InvoiceNotFound, InvoiceStore } from './invoiceStore.js';
import { INVOICE_SERVICE_NAME, InvoiceServiceClient } from './proto.js';

export interface InvoicesServiceOptions {
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** Port of an HTTP server for /metrics, /healthz and /readyz; none when absent. */
  metricsPort?: number;
  logger: Logger;
  store?: InvoiceStore;
  /** Largest request message accepted (`grpc.max_receive_message_length`); larger ones fail RESOURCE_EXHAUSTED unread. Default 64 KiB. */
  maxReceiveMessageBytes?: number;
  /** Largest response message sent (`grpc.max_send_message_length`). Default 4 MiB. */
  maxSendMessageBytes?: number;
}

/** A status message travels in a header: past this many characters it is cut (a client's value never rides in it whole). */
const MAX_DETAILS_CHARS = 1024;

export interface RunningGrpcServer {
  /** host:port to dial. */
  readonly address: string;
  readonly port: number;
  /** Base URL of the metrics server, when one was asked for. */
  readonly metricsUrl?: string;
  /** Marks the service NOT_SERVING, lets in-flight calls finish (up to graceMs), then stops. */
  close(graceMs?: number): Promise<void>;
}

interface HandlerDeps {
  logger: Logger;
  duration: Histogram<'method' | 'status'>;
}

/**
 * Wraps a store method as a unary handler: it runs under the caller's request id and in
 * a server span parented by the caller's trace context; store errors become status codes.
 */
function unary<Req, Res>({ logger, duration }: HandlerDeps, method: string, run: (request: Req) => Res) {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>): void => {
    const incoming = incomingContext(call.metadata);
    const started = performance.now();
    const finish = (code: status, error?: { code: status; details: string }, response?: Res) => {
      duration.observe({ method, status: status[code] ?? 'UNKNOWN' }, (performance.now() - started) / 1000);
      logger.debug({ method, status: status[code] }, 'grpc call');
      if (error) callback({ ...error, details: error.details.slice(0, MAX_DETAILS_CHARS) });
      else callback(null, response);
    };
    void runInRequest({ requestId: incoming.requestId ?? randomUUID() }, () =>
      inSpan(
        `grpc invoices.v1.InvoiceService/${method}`,
        SpanKind.SERVER,
        async () => {
          try {
            finish(status.OK, undefined, run(call.request));
          } catch (error) {
            if (error instanceof InvalidArgument) {
              finish(status.INVALID_ARGUMENT, { code: status.INVALID_ARGUMENT, details: error.message });
            } else if (error instanceof InvoiceNotFound) {
              finish(status.NOT_FOUND, { code: status.NOT_FOUND, details: error.message });
            } else {
              logger.error({ err: error, method }, 'invoice call failed');
              finish(status.INTERNAL, {
                code: status.INTERNAL,
                details: 'internal error; see the invoices service log',
              });
            }
          }
        },
        incoming.trace,
      ),
    );
  };
}

/** Starts the invoices gRPC service and the standard grpc.health.v1 service beside it. */
export async function startInvoicesService(options: InvoicesServiceOptions): Promise<RunningGrpcServer> {
  const { logger } = options;
  const store = options.store ?? new InvoiceStore();
  const server = new Server({
    'grpc.max_receive_message_length': options.maxReceiveMessageBytes ?? 64 * 1024,
    'grpc.max_send_message_length': options.maxSendMessageBytes ?? 4 * 1024 * 1024,
  });
  const registry = createRegistry('invoices-service');
  const deps: HandlerDeps = { logger, duration: grpcDurationHistogram('grpc_server_duration_seconds', registry) };
  const handlers: UntypedServiceImplementation = {
    ListInvoicesByCustomer: unary(deps, 'ListInvoicesByCustomer', (r: { customerIds: string[] }) => ({
      invoices: store.listByCustomers(r.customerIds),
    })),
    ListInvoices: unary(deps, 'ListInvoices', (r: { limit: number }) => ({ invoices: store.list(r.limit) })),
    GetInvoice: unary(deps, 'GetInvoice', (r: { id: string }) => store.get(r.id)),
    CreateInvoice: unary(deps, 'CreateInvoice', store.create.bind(store)),
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
  const metrics =
    options.metricsPort === undefined
      ? undefined
      : await startHttpServer({
          host,
          port: options.metricsPort,
          logger,
          routes: { '/metrics': metricsHandler(registry) },
        });
  return {
    address: `${dialHost}:${port}`,
    port,
    metricsUrl: metrics?.url,
    close: async (graceMs = 5000) => {
      health.setStatus('', 'NOT_SERVING');
      health.setStatus(INVOICE_SERVICE_NAME, 'NOT_SERVING');
      await metrics?.close(graceMs);
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
