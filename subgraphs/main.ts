#!/usr/bin/env node
/**
 * The demo subgraphs' entry point: `node subgraphs/main.js customers|invoices|invoices-service`.
 * The local stack starts it directly; the gateway's CLI starts it as a child process for
 * its commands of the same names (the container image's single entry point).
 */
import { Command, Option } from 'commander';
import { graceOption, hostOption, port, portOption, type ServerOptions } from '../src/platform/cliOptions.js';
import { LOCAL_PORTS } from '../src/platform/localPorts.js';
import type { Logger } from '../src/platform/logger.js';
import { runComponent, type ClosableComponent } from '../src/platform/runComponent.js';

/** A command that runs one component with the options every server takes, plus `extra`. */
function componentCommand<Extra>(
  name: string,
  description: string,
  defaultPort: number,
  extra: readonly Option[],
  start: (options: ServerOptions & Extra, logger: Logger) => Promise<ClosableComponent>,
): Command {
  const command = new Command(name)
    .description(description)
    .addOption(portOption(defaultPort))
    .addOption(hostOption())
    .addOption(graceOption());
  for (const option of extra) command.addOption(option);
  return command.action((options: ServerOptions & Extra) =>
    runComponent(name, options.graceMs, (logger) => start(options, logger)),
  );
}

// Each component is imported when its command runs, so one does not load the others.
const commands = [
  componentCommand('customers', 'run the customers subgraph', LOCAL_PORTS.customers, [], async (options, logger) => {
    const { startCustomersSubgraph } = await import('./customers/server.js');
    const server = await startCustomersSubgraph({ port: options.port, host: options.host, logger });
    logger.info({ url: `${server.url}/graphql` }, 'customers subgraph listening');
    return server;
  }),
  componentCommand<{ grpc: string }>(
    'invoices',
    'run the invoices subgraph (calls the invoices gRPC service)',
    LOCAL_PORTS.invoices,
    [
      new Option('--grpc <address>', 'host:port of the invoices gRPC service')
        .env('INVOICES_GRPC_ADDRESS')
        .default(`127.0.0.1:${LOCAL_PORTS.invoicesService}`),
    ],
    async ({ port, host, grpc }, logger) => {
      const { startInvoicesSubgraph } = await import('./invoices/server.js');
      const server = await startInvoicesSubgraph({ port, host, grpcAddress: grpc, logger });
      logger.info({ url: `${server.url}/graphql`, grpc }, 'invoices subgraph listening');
      return server;
    },
  ),
  componentCommand<{ metricsPort?: number }>(
    'invoices-service',
    'run the invoices gRPC service',
    LOCAL_PORTS.invoicesService,
    [
      new Option('--metrics-port <port>', 'serve /metrics, /healthz and /readyz over HTTP on this port')
        .env('METRICS_PORT')
        .argParser(port),
    ],
    async ({ port, host, metricsPort }, logger) => {
      const { startInvoicesService } = await import('./invoices-service/server.js');
      const server = await startInvoicesService({ port, host, metricsPort, logger });
      logger.info({ address: server.address, metrics: server.metricsUrl }, 'invoices gRPC service listening');
      return server;
    },
  ),
];

const program = new Command('demo-subgraphs')
  .description('The demo subgraphs of affordance-gateway: two GraphQL subgraphs and a gRPC service')
  .showHelpAfterError();
for (const command of commands) program.addCommand(command);

await program.parseAsync(process.argv);
