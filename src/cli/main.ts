#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import { startCustomersSubgraph } from '../../subgraphs/customers/server.js';
import { startInvoicesService } from '../../subgraphs/invoices-service/server.js';
import { startInvoicesSubgraph } from '../../subgraphs/invoices/server.js';
import { clientCommand } from '../client/clientCommand.js';
import { ConfigError, loadConfig } from '../config/load.js';
import { startGateway } from '../gateway/startGateway.js';
import { createLogger } from '../runtime/logger.js';
import { exitOnSignal } from '../runtime/shutdown.js';
import { DEFAULT_STACK_PORTS, localStackComponents } from '../stack/localStack.js';
import { Supervisor } from '../stack/supervisor.js';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number (0-65535)');
  return n;
}

const portOption = (def: number) =>
  new Option('--port <port>', 'port to listen on (0 picks one)').env('PORT').default(def).argParser(port);
const hostOption = () => new Option('--host <host>', 'interface to listen on').env('HOST').default('127.0.0.1');

const program = new Command('affordance-gateway')
  .description('Availability-aware GraphQL federation gateway, its demo subgraphs, and the local stack')
  .showHelpAfterError();

program
  .command('gateway')
  .description('run the gateway')
  .addOption(
    new Option('--config <file>', 'gateway config file (YAML or JSON); default: the local stack').env('AG_CONFIG'),
  )
  .action(async (opts: { config?: string }) => {
    const logger = createLogger('gateway');
    try {
      const config = loadConfig({ file: opts.config, env: process.env });
      const gateway = await startGateway({ config, logger });
      exitOnSignal(() => gateway.close(), logger);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
  });

program
  .command('customers')
  .description('run the customers subgraph')
  .addOption(portOption(DEFAULT_STACK_PORTS.customers))
  .addOption(hostOption())
  .action(async (opts: { port: number; host: string }) => {
    const logger = createLogger('customers');
    const server = await startCustomersSubgraph({ ...opts, logger });
    logger.info({ url: `${server.url}/graphql` }, 'customers subgraph listening');
    exitOnSignal(() => server.close(), logger);
  });

program
  .command('invoices')
  .description('run the invoices subgraph (calls the invoices gRPC service)')
  .addOption(portOption(DEFAULT_STACK_PORTS.invoices))
  .addOption(hostOption())
  .addOption(
    new Option('--grpc <address>', 'host:port of the invoices gRPC service')
      .env('INVOICES_GRPC_ADDRESS')
      .default(`127.0.0.1:${DEFAULT_STACK_PORTS.invoicesService}`),
  )
  .action(async (opts: { port: number; host: string; grpc: string }) => {
    const logger = createLogger('invoices');
    const server = await startInvoicesSubgraph({ port: opts.port, host: opts.host, grpcAddress: opts.grpc, logger });
    logger.info({ url: `${server.url}/graphql`, grpc: opts.grpc }, 'invoices subgraph listening');
    exitOnSignal(() => server.close(), logger);
  });

program
  .command('invoices-service')
  .description('run the invoices gRPC service')
  .addOption(portOption(DEFAULT_STACK_PORTS.invoicesService))
  .addOption(hostOption())
  .action(async (opts: { port: number; host: string }) => {
    const logger = createLogger('invoices-service');
    const server = await startInvoicesService({ ...opts, logger });
    logger.info({ address: server.address }, 'invoices gRPC service listening');
    exitOnSignal(() => server.close(), logger);
  });

program
  .command('stack')
  .description('run all four components locally, restarting any that dies; Ctrl-C stops them')
  .option('--gateway-port <port>', 'gateway port', port, DEFAULT_STACK_PORTS.gateway)
  .option('--customers-port <port>', 'customers subgraph port', port, DEFAULT_STACK_PORTS.customers)
  .option('--invoices-port <port>', 'invoices subgraph port', port, DEFAULT_STACK_PORTS.invoices)
  .option('--invoices-service-port <port>', 'invoices gRPC service port', port, DEFAULT_STACK_PORTS.invoicesService)
  .option('--restart-delay <ms>', 'delay before restarting a component that died', port, 1000)
  .addOption(new Option('--config <file>', 'gateway config file').env('AG_CONFIG'))
  .action(
    (opts: {
      gatewayPort: number;
      customersPort: number;
      invoicesPort: number;
      invoicesServicePort: number;
      restartDelay: number;
      config?: string;
    }) => {
      const ports = {
        gateway: opts.gatewayPort,
        customers: opts.customersPort,
        invoices: opts.invoicesPort,
        invoicesService: opts.invoicesServicePort,
      };
      const supervisor = new Supervisor({
        components: localStackComponents(ports, opts.config),
        restartDelayMs: opts.restartDelay,
      });
      supervisor.start();
      process.stdout.write(
        [
          '',
          `  GraphQL gateway   http://127.0.0.1:${ports.gateway}/graphql`,
          `  customers         http://127.0.0.1:${ports.customers}/graphql`,
          `  invoices          http://127.0.0.1:${ports.invoices}/graphql`,
          `  invoices gRPC     127.0.0.1:${ports.invoicesService}`,
          '  Ctrl-C stops everything.',
          '',
        ].join('\n') + '\n',
      );
      let stopping = false;
      const stop = () => {
        if (stopping) return;
        stopping = true;
        void supervisor.stop().then(() => process.exit(0));
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    },
  );

program.addCommand(clientCommand());

await program.parseAsync(process.argv);
