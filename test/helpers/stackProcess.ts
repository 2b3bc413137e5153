import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lines, stop } from '../client/cliProcess.js';
import { freePort } from './freePort.js';

/** The local stack (`npm start`) running as a child process, as a user runs it. */
export interface StackProcess {
  readonly child: ChildProcess;
  /** Every component's output, each line prefixed `[name]`, as the stack prints it. */
  readonly output: Lines;
  /** The gateway's base URL (`/graphql` below it). */
  readonly gatewayUrl: string;
  /** The demo services' data folder (AG_DATA_DIR), empty at start. */
  readonly dataDir: string;
  /** The demo signing key's file (AG_DEMO_KEY_FILE), made by the stack on first use. */
  readonly keyFile: string;
  /** Ctrl-C if it still runs (the stack stops its components), then removes its folder. */
  close(): Promise<void>;
}

/**
 * Starts `affordance-gateway stack` through tsx on free loopback ports, restarting a component
 * 300 ms after it exits, with its data and its demo key in a temporary folder of its own (never
 * the developer's `.data` or key, which a running `npm start` may hold). `args` are added.
 */
export async function startStackProcess(args: readonly string[] = []): Promise<StackProcess> {
  const folder = mkdtempSync(join(tmpdir(), 'ag-stack-'));
  const dataDir = join(folder, 'data');
  const keyFile = join(folder, 'demo-signing-key.json');
  mkdirSync(dataDir);
  const [gateway, customers, invoices, grpc] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const child = spawn(
    process.execPath,
    [
      ...['node_modules/tsx/dist/cli.mjs', 'src/cli/main.ts', 'stack'],
      ...['--gateway-port', String(gateway), '--customers-port', String(customers)],
      ...['--invoices-port', String(invoices), '--invoices-service-port', String(grpc)],
      ...['--restart-delay', '300', ...args],
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, LOG_LEVEL: 'info', AG_DEMO_KEY_FILE: keyFile, AG_DATA_DIR: dataDir },
    },
  );
  return {
    child,
    output: new Lines(child.stdout!),
    gatewayUrl: `http://127.0.0.1:${gateway}`,
    dataDir,
    keyFile,
    async close() {
      await stop(child, 'SIGINT');
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
