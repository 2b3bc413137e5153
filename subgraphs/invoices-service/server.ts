import {
  Metadata,
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
import { BACKEND_METADATA, incomingContext } from '../shared/grpcMetadata.js';
import { DatabaseUnavailable } from '../shared/database/database.js';
import type { DatabaseHealth } from '../shared/database/databaseHealth.js';
import { DATABASE_BACKEND } from '../shared/database/databaseUnavailableError.js';
import { serviceDatabase, type DatabaseOption } from '../shared/database/serviceDatabase.js';
import { grpcDurationHistogram } from '../shared/grpcMetrics.js';
import { InvalidArgument, InvoiceNotFound, InvoiceStore } from './invoiceStore.js';
import { INVOICE_MIGRATIONS } from './migrations.js';
import { INVOICE_SERVICE_NAME, InvoiceServiceClient } from './proto.js';

export interface InvoicesServiceOptions {
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** Port of an HTTP server for /metrics, /healthz and /readyz; none when absent. */
  metricsPort?: number;
  logger: Logger;
  /** Where the invoices are kept (see DATABASE_FORMS). Default: in memory, gone on close. */
  database?: DatabaseOption;
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
  health: DatabaseHealth;
}

/**
 * Wraps a store method as a unary handler: it runs under the caller's request id and in
 * a server span parented by the caller's trace context; store errors become status codes,
 * an unreachable database UNAVAILABLE with metadata `backend: database`, which says what
 * is down without parsing the details.
 */
function unary<Req, Res>(
  { logger, duration, health }: HandlerDeps,
  method: string,
  run: (request: Req) => Promise<Res>,
) {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>): void => {
    const incoming = incomingContext(call.metadata);
    const started = performance.now();
    const finish = (code: status, error?: { code: status; details: string; metadata?: Metadata }, response?: Res) => {
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
            finish(status.OK, undefined, await run(call.request));
          } catch (error) {
            if (error instanceof DatabaseUnavailable) {
              health.recheck();
              const metadata = new Metadata();
              metadata.set(BACKEND_METADATA, DATABASE_BACKEND);
              finish(status.UNAVAILABLE, { code: status.UNAVAILABLE, details: error.message, metadata });
            } else if (error instanceof InvalidArgument) {
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

/**
 * Starts the invoices gRPC service over its database (migrated at start) and the standard
 * grpc.health.v1 service beside it: the server as a whole ("") is SERVING while the process
 * runs (liveness); invoices.v1.InvoiceService (readiness, and what the gateway probes) and
 * "database" follow the database, so a health client that lists the statuses can tell why
 * the service is NOT_SERVING.
 */
export async function startInvoicesService(options: InvoicesServiceOptions): Promise<RunningGrpcServer> {
  const { logger } = options;
  const {
    db,
    health: database,
    close: closeDatabase,
  } = await serviceDatabase(options.database, INVOICE_MIGRATIONS, logger);
  const store = new InvoiceStore(db);
  const server = new Server({
    'grpc.max_receive_message_length': options.maxReceiveMessageBytes ?? 64 * 1024,
    'grpc.max_send_message_length': options.maxSendMessageBytes ?? 4 * 1024 * 1024,
  });
  const registry = createRegistry('invoices-service');
  const deps: HandlerDeps = {
    logger,
    duration: grpcDurationHistogram('grpc_server_duration_seconds', registry),
    health: database,
  };
  const handlers: UntypedServiceImplementation = {
    ListInvoicesByCustomer: unary(deps, 'ListInvoicesByCustomer', async (r: { customerIds: string[] }) => ({
      invoices: await store.listByCustomers(r.customerIds),
    })),
    ListInvoices: unary(deps, 'ListInvoices', async (r: { limit: number }) => ({
      invoices: await store.list(r.limit),
    })),
    GetInvoice: unary(deps, 'GetInvoice', (r: { id: string }) => store.get(r.id)),
    CreateInvoice: unary(deps, 'CreateInvoice', store.create.bind(store)),
  };
  server.addService(InvoiceServiceClient.service, handlers);
  const health = new HealthImplementation({ '': 'SERVING' });
  const followDatabase = (available: boolean) => {
    health.setStatus(INVOICE_SERVICE_NAME, available ? 'SERVING' : 'NOT_SERVING');
    health.setStatus(DATABASE_BACKEND, available ? 'SERVING' : 'NOT_SERVING');
  };
  followDatabase(database.current().available);
  const unfollow = database.onChange((status) => followDatabase(status.available));
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
      unfollow();
      health.setStatus('', 'NOT_SERVING');
      health.setStatus(INVOICE_SERVICE_NAME, 'NOT_SERVING');
      await metrics?.close(graceMs);
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, graceMs);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
      await closeDatabase();
    },
  };
}
