import { startInvoicesSubgraph } from '../../../subgraphs/invoices/server.js';
import { validateConfig } from '../../../src/config/load.js';
import { startGateway, type RunningGateway } from '../../../src/gateway/startGateway.js';
import { silentLogger } from '../../../src/platform/logger.js';

/**
 * A real gateway (probe source, fast probes, no settle time) over a customers subgraph at
 * `customersUrl` and an invoices subgraph it starts in front of the gRPC service at
 * `grpcAddress`, probing that service's own health (`invoices.v1.InvoiceService`, which
 * follows its database), as the local stack's config does. `close` stops both.
 */
export async function gatewayOverServices(customersUrl: string, grpcAddress: string): Promise<RunningGateway> {
  const invoices = await startInvoicesSubgraph({ port: 0, logger: silentLogger, grpcAddress });
  const gateway = await startGateway({
    logger: silentLogger,
    config: validateConfig({
      server: { port: 0 },
      availability: { settleMs: 0, probe: { intervalMs: 100, timeoutMs: 3000 } },
      limits: { rateLimit: false },
      backends: { 'invoices-service': { grpc: grpcAddress, healthService: 'invoices.v1.InvoiceService' } },
      subgraphs: {
        customers: { url: `${customersUrl}/graphql` },
        invoices: { url: `${invoices.url}/graphql`, dependsOn: ['invoices-service'] },
      },
    }),
  });
  return {
    ...gateway,
    close: async () => {
      await gateway.close();
      await invoices.close();
    },
  };
}
