import { Command, Option } from 'commander';
import { ConfigError, loadConfig } from '../../config/load.js';

export function gatewayCommand(): Command {
  return new Command('gateway')
    .description('run the gateway')
    .addOption(
      new Option('--config <file>', 'gateway config file (YAML or JSON); default: the local stack').env('AG_CONFIG'),
    )
    .action(async (opts: { config?: string }) => {
      let config;
      try {
        config = loadConfig({ file: opts.config, env: process.env });
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        process.stderr.write(`${error.message}\n`);
        process.exit(2);
      }
      // Loaded on demand, so other commands (the client) start fast.
      const { runGateway } = await import('../../gateway/runGateway.js');
      await runGateway(config);
    });
}
