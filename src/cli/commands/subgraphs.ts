import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { Command } from 'commander';
import { ENTRY_POINTS } from '../../stack/entryPoints.js';

const SUBGRAPHS = {
  customers: 'run the customers subgraph',
  invoices: 'run the invoices subgraph (calls the invoices gRPC service)',
  'invoices-service': 'run the invoices gRPC service',
} as const;

/**
 * `customers`, `invoices` and `invoices-service`: the demo subgraphs are their own package
 * with their own entry point, which these commands run as a child process (never import),
 * so the container image keeps one entry point for all four components. Every argument
 * (`--help` too) goes to the child; SIGTERM and SIGINT are passed on, and its exit code.
 */
export function subgraphCommands(): Command[] {
  return Object.entries(SUBGRAPHS).map(([name, description]) =>
    new Command(name)
      .description(description)
      .argument('[options...]', 'its options (see `--help`)')
      .helpOption(false)
      .allowUnknownOption()
      .action((_args: string[], _opts: unknown, command: Command) => runSubgraph(name, command.args)),
  );
}

function runSubgraph(name: string, args: readonly string[]): Promise<never> {
  // The same Node flags and loader (tsx in development) as this process. In a process group
  // of its own, so a signal sent to ours (Ctrl-C in a terminal) reaches it once, through us:
  // a second one would cut its graceful stop short.
  const child = spawn(process.execPath, [...process.execArgv, ENTRY_POINTS.subgraphs, name, ...args], {
    stdio: 'inherit',
    detached: true,
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGTERM', forward);
  process.on('SIGINT', forward);
  return new Promise<never>(() => {
    child.once('error', (error) => {
      process.stderr.write(`cannot start the ${name} subgraph: ${error.message}\n`);
      process.exit(1);
    });
    child.once('exit', (code, signal) => process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0)));
  });
}
