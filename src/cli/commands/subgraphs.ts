import { Command, Option } from 'commander';
import { DEFAULT_STACK_PORTS } from '../../stack/localStack.js';
import { graceOption, hostOption, port, portOption, type ServerOptions } from '../options.js';
import { serve } from './serve.js';

// Each component is imported when its command runs, so the others (the client) start fast.

export function customersCommand(): Command {
  return new Command('customers')
    .description('run the customers subgraph')
    .addOption(portOption(DEFAULT_STACK_PORTS.customers))
    .addOption(hostOption())
    .addOption(graceOption())
    .action(async ({ graceMs, ...listen }: ServerOptions) =>
      serve('customers', graceMs, async (logger) => {
        const { startCustomersSubgraph } = await import('../../../subgraphs/customers/server.js');
        const server = await startCustomersSubgraph({ ...listen, logger });
        logger.info({ url: `${server.url}/graphql` }, 'customers subgraph listening');
        return server;
      }),
    );
}

export function invoicesCommand(): Command {
  return new Command('invoices')
    .description('run the invoices subgraph (calls the invoices gRPC service)')
    .addOption(portOption(DEFAULT_STACK_PORTS.invoices))
    .addOption(hostOption())
    .addOption(graceOption())
    .addOption(
      new Option('--grpc <address>', 'host:port of the invoices gRPC service')
        .env('INVOICES_GRPC_ADDRESS')
        .default(`127.0.0.1:${DEFAULT_STACK_PORTS.invoicesService}`),
    )
    .action(async ({ graceMs, grpc, ...listen }: ServerOptions & { grpc: string }) =>
      serve('invoices', graceMs, async (logger) => {
        const { startInvoicesSubgraph } = await import('../../../subgraphs/invoices/server.js');
        const server = await startInvoicesSubgraph({ ...listen, grpcAddress: grpc, logger });
        logger.info({ url: `${server.url}/graphql`, grpc }, 'invoices subgraph listening');
        return server;
      }),
    );
}

export function invoicesServiceCommand(): Command {
  return new Command('invoices-service')
    .description('run the invoices gRPC service')
    .addOption(portOption(DEFAULT_STACK_PORTS.invoicesService))
    .addOption(hostOption())
    .addOption(graceOption())
    .addOption(
      new Option('--metrics-port <port>', 'serve /metrics, /healthz and /readyz over HTTP on this port')
        .env('METRICS_PORT')
        .argParser(port),
    )
    .action(async ({ graceMs, metricsPort, ...listen }: ServerOptions & { metricsPort?: number }) =>
      serve('invoices-service', graceMs, async (logger) => {
        const { startInvoicesService } = await import('../../../subgraphs/invoices-service/server.js');
        const server = await startInvoicesService({ ...listen, metricsPort, logger });
        logger.info({ address: server.address, metrics: server.metricsUrl }, 'invoices gRPC service listening');
        return server;
      }),
    );
}
