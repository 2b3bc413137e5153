import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ENTRY_POINTS } from '../../src/stack/entryPoints.js';
import { freePort } from '../helpers/freePort.js';
import { gql } from '../helpers/graphql.js';
import { killed } from '../helpers/serverProcess.js';
import { eventually } from './cluster.js';

/**
 * The gateway as a user runs it outside a cluster: `affordance-gateway gateway --config
 * FILE` in its own process, with KUBECONFIG naming its ServiceAccount's token.
 */
export class GatewayProcess implements AsyncDisposable {
  private child?: ChildProcess;
  url = '';

  /** `configYaml`: the config file's text; the server's host and port are set here (AG__SERVER__*). */
  constructor(
    private readonly configYaml: string,
    private readonly kubeconfig: string,
  ) {}

  /** Starts it and resolves once /readyz answers 200 (sources synced, a supergraph served). */
  async start(): Promise<this> {
    const port = await freePort();
    const file = join(mkdtempSync(join(tmpdir(), 'gateway-config-')), 'config.yaml');
    writeFileSync(file, this.configYaml);
    this.url = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY_POINTS.gateway, 'gateway', '--config', file], {
      env: {
        ...process.env,
        KUBECONFIG: this.kubeconfig,
        AG__SERVER__HOST: '127.0.0.1',
        AG__SERVER__PORT: String(port),
        // The ConfigMap's admin port (9090) would clash between processes on one host.
        AG__SERVER__ADMINPORT: '0',
        LOG_LEVEL: process.env.E2E_LOGS ? 'info' : 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    for (const stream of [child.stdout!, child.stderr!]) {
      const lines = createInterface({ input: stream });
      if (process.env.E2E_LOGS) lines.on('line', (line) => process.stderr.write(`[gateway process] ${line}\n`));
    }
    await eventually(
      'the gateway process is ready',
      async () => {
        if (child.exitCode !== null) throw new Error(`the gateway process exited with ${child.exitCode}`);
        const response = await fetch(`${this.url}/readyz`).catch(() => undefined);
        return response?.status === 200 ? true : undefined;
      },
      60_000,
    );
    return this;
  }

  /** Its served schema's version, `count-hash` (the hash is of the supergraph SDL). */
  async schemaVersion(): Promise<string> {
    const { data } = await gql<{ affordances: { schemaVersion: string } }>(
      this.url,
      '{ affordances { schemaVersion } }',
    );
    return data!.affordances.schemaVersion;
  }

  /** Ends it at once with SIGKILL, as a crash or an OOM kill would: nothing of its shutdown runs. */
  async kill(): Promise<void> {
    await killed(this.child);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.kill('SIGTERM');
    await exited;
    clearTimeout(force);
  }
}
