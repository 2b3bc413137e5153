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
import { DATABASE_FORMS, IN_MEMORY } from './shared/database/openDatabase.js';

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

/** Where a service keeps its data; in memory unless told (then it says so: nothing survives a restart). */
const databaseOption = () =>
  new Option('--database <where>', `where its data is kept: ${DATABASE_FORMS}`).env('DATABASE_URL').default(IN_MEMORY);

const warnIfInMemory = (database: string, logger: Logger) => {
  if (database === IN_MEMORY) logger.warn('data kept in memory and lost on exit; --database or DATABASE_URL keeps it');
};

// Each component is imported when its command runs, so one does not load the others.
const commands = [
  componentCommand<{ schemaVersion: '1' | '2'; database: string }>(
    'customers',
    'run the customers subgraph (SIGUSR2 switches its schema version in place)',
    LOCAL_PORTS.customers,
    [
      new Option('--schema-version <n>', 'schema version served first: 2 adds Customer.phone')
        .choices(['1', '2'])
        .env('CUSTOMERS_SCHEMA_VERSION')
        .default('1'),
      databaseOption(),
    ],
    async ({ port, host, schemaVersion, database }, logger) => {
      const { startCustomersSubgraph } = await import('./customers/server.js');
      warnIfInMemory(database, logger);
      let version = Number(schemaVersion) as 1 | 2;
      const server = await startCustomersSubgraph({ port, host, logger, schemaVersion: version, database });
      // The demo's deploy without an outage: the same process, the same port, a new schema.
      process.on('SIGUSR2', () => {
        version = version === 1 ? 2 : 1;
        server.serveVersion(version - 1);
        logger.info({ schemaVersion: version }, `customers subgraph now serves schema version ${version}`);
      });
      logger.info({ url: `${server.url}/graphql`, schemaVersion: version }, 'customers subgraph listening');
      return server;
    },
  ),
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
  componentCommand<{ metricsPort?: number; database: string }>(
    'invoices-service',
    'run the invoices gRPC service',
    LOCAL_PORTS.invoicesService,
    [
      new Option('--metrics-port <port>', 'serve /metrics, /healthz and /readyz over HTTP on this port')
        .env('METRICS_PORT')
        .argParser(port),
      databaseOption(),
    ],
    async ({ port, host, metricsPort, database }, logger) => {
      const { startInvoicesService } = await import('./invoices-service/server.js');
      warnIfInMemory(database, logger);
      const server = await startInvoicesService({ port, host, metricsPort, logger, database });
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
