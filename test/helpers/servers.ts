import { startCustomersSubgraph } from '../../subgraphs/customers/server.js';
import { startInvoicesService, type RunningGrpcServer } from '../../subgraphs/invoices-service/server.js';
import { startInvoicesSubgraph } from '../../subgraphs/invoices/server.js';
import { validateConfig } from '../../src/config/load.js';
import type { GatewayConfig, GatewayConfigInput } from '../../src/config/schema.js';
import type { RunningHttpServer } from '../../src/platform/http/httpServer.js';
import { silentLogger, type Logger } from '../../src/platform/logger.js';

/** The three backing processes of the product, as real servers on loopback. */
export class Backends {
  /** The logger each server gets, by component name; silent unless a test wants to read logs. */
  constructor(private readonly loggerFor: (component: string) => Logger = () => silentLogger) {}

  customers?: RunningHttpServer;
  invoices?: RunningHttpServer;
  grpc?: RunningGrpcServer;
  /** Ports are kept across stop/start so the gateway finds a restarted server where it was. */
  ports = { customers: 0, invoices: 0, grpc: 0 };

  async startCustomers(): Promise<void> {
    this.customers = await startCustomersSubgraph({ port: this.ports.customers, logger: this.loggerFor('customers') });
    this.ports.customers = this.customers.port;
  }

  async startGrpc(): Promise<void> {
    this.grpc = await startInvoicesService({
      port: this.ports.grpc,
      metricsPort: 0,
      logger: this.loggerFor('invoices-service'),
    });
    this.ports.grpc = this.grpc.port;
  }

  async startInvoices(): Promise<void> {
    if (!this.ports.grpc) throw new Error('start the gRPC service once first, so its port is known');
    this.invoices = await startInvoicesSubgraph({
      port: this.ports.invoices,
      grpcAddress: `127.0.0.1:${this.ports.grpc}`,
      grpcDeadlineMs: 1000,
      logger: this.loggerFor('invoices'),
    });
    this.ports.invoices = this.invoices.port;
  }

  async startAll(): Promise<this> {
    await this.startGrpc();
    await Promise.all([this.startCustomers(), this.startInvoices()]);
    return this;
  }

  async stopCustomers(): Promise<void> {
    await this.customers?.close();
    this.customers = undefined;
  }

  async stopInvoices(): Promise<void> {
    await this.invoices?.close();
    this.invoices = undefined;
  }

  async stopGrpc(): Promise<void> {
    await this.grpc?.close(0);
    this.grpc = undefined;
  }

  /** Stops customers the way a crash would: open connections are cut, nothing drains. */
  async crashCustomers(): Promise<void> {
    this.customers?.server.closeAllConnections();
    await this.stopCustomers();
  }

  /** Stops the gRPC service the way a crash would. */
  async crashGrpc(): Promise<void> {
    await this.grpc?.close(0);
    this.grpc = undefined;
  }

  async stopAll(): Promise<void> {
    await Promise.all([this.stopCustomers(), this.stopInvoices(), this.stopGrpc()]);
  }

  /** Reserves ports for servers that start later, by starting and stopping them once. */
  async reservePorts(): Promise<this> {
    await this.startAll();
    await this.stopAll();
    return this;
  }

  /** A gateway config pointing at these servers, fast probes, no settle delay unless given. */
  gatewayConfig(overrides: Partial<GatewayConfigInput['availability']> = {}): GatewayConfig {
    return validateConfig({
      server: { port: 0 },
      // Generous probe timeout: a loaded CI machine must not look like an outage.
      availability: { settleMs: 0, probe: { intervalMs: 100, timeoutMs: 3000 }, ...overrides },
      composition: { sdlRetryMs: 50 },
      // Tests send bursts from one address; the limiter has its own test.
      limits: { rateLimit: false },
      backends: { 'invoices-service': { grpc: `127.0.0.1:${this.ports.grpc}` } },
      subgraphs: {
        customers: { url: `http://127.0.0.1:${this.ports.customers}/graphql` },
        invoices: { url: `http://127.0.0.1:${this.ports.invoices}/graphql`, dependsOn: ['invoices-service'] },
      },
    });
  }
}
