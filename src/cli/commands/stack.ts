import { Command, Option } from 'commander';
import { millis, port } from '../../platform/cliOptions.js';
import { LOCAL_PORTS } from '../../platform/localPorts.js';
import { demoJwks, demoKeyFile, demoSigningKey } from '../../stack/demoSigningKey.js';
import { localDataDir } from '../../stack/dataDir.js';
import { localStackComponents } from '../../stack/localStack.js';
import { Supervisor } from '../../stack/supervisor.js';

interface StackOptions {
  gatewayPort: number;
  customersPort: number;
  invoicesPort: number;
  invoicesServicePort: number;
  restartDelay: number;
  config?: string;
  demoAuth: boolean;
}

export function stackCommand(): Command {
  return new Command('stack')
    .description('run all four components locally, restarting any that dies; Ctrl-C stops them')
    .option('--gateway-port <port>', 'gateway port', port, LOCAL_PORTS.gateway)
    .option('--customers-port <port>', 'customers subgraph port', port, LOCAL_PORTS.customers)
    .option('--invoices-port <port>', 'invoices subgraph port', port, LOCAL_PORTS.invoices)
    .option('--invoices-service-port <port>', 'invoices gRPC service port', port, LOCAL_PORTS.invoicesService)
    .option('--restart-delay <ms>', 'delay before restarting a component that died', millis, 1000)
    .addOption(new Option('--config <file>', 'gateway config file (then it alone decides about auth)').env('AG_CONFIG'))
    .option('--no-demo-auth', 'do not verify demo tokens (every caller anonymous, the directives not enforced)')
    .action(async (opts: StackOptions) => {
      const ports = {
        gateway: opts.gatewayPort,
        customers: opts.customersPort,
        invoices: opts.invoicesPort,
        invoicesService: opts.invoicesServicePort,
      };
      // Without a config file the gateway verifies demo tokens (`token`), made with a local key.
      const demoKey = opts.demoAuth && !opts.config ? await demoSigningKey(demoKeyFile()) : undefined;
      const dataDir = localDataDir();
      const supervisor = new Supervisor({
        components: localStackComponents(ports, opts.config, demoKey && demoJwks(demoKey), dataDir),
        restartDelayMs: opts.restartDelay,
      });
      supervisor.start();
      process.stdout.write(
        [
          '',
          `  GraphQL gateway   http://127.0.0.1:${ports.gateway}/graphql`,
          `  web console       http://127.0.0.1:${ports.gateway}/console`,
          `  customers         http://127.0.0.1:${ports.customers}/graphql`,
          `  invoices          http://127.0.0.1:${ports.invoices}/graphql`,
          `  invoices gRPC     127.0.0.1:${ports.invoicesService}`,
          demoKey
            ? `  demo tokens       npx tsx src/cli/main.ts token --scope invoices:write  (key: ${demoKey.file})`
            : `  auth              ${opts.config ? `as ${opts.config} says` : 'off: every caller is anonymous'}`,
          `  data              ${dataDir}  (embedded databases; AG_DATA_DIR moves it)`,
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
    });
}
