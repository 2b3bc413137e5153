import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { demoSigningKey, signDemoToken } from '../../src/stack/demoSigningKey.js';
import { freePort } from '../helpers/freePort.js';
import { gql } from '../helpers/graphql.js';
import { processAlive } from '../helpers/processAlive.js';

jest.setTimeout(90_000);

/** The stack's output, line by line, with a way to await the first line matching a pattern. */
class Output {
  private readonly lines: string[] = [];
  private readonly waiters = new Set<{ pattern: RegExp; from: number; resolve: (line: string) => void }>();

  constructor(child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      this.lines.push(line);
      for (const waiter of this.waiters) this.check(waiter);
    });
  }

  /** Resolves with the first line matching `pattern` after line number `from` (default: any). */
  next(pattern: RegExp, from = 0): Promise<string> {
    return new Promise((resolve) => {
      const waiter = { pattern, from, resolve };
      this.waiters.add(waiter);
      this.check(waiter);
    });
  }

  get count(): number {
    return this.lines.length;
  }

  private check(waiter: { pattern: RegExp; from: number; resolve: (line: string) => void }): void {
    const line = this.lines.slice(waiter.from).find((l) => waiter.pattern.test(l));
    if (line === undefined) return;
    this.waiters.delete(waiter);
    waiter.resolve(line);
  }
}

describe('npm start: the local stack', () => {
  const keyDir = mkdtempSync(join(tmpdir(), 'ag-stack-key-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'ag-stack-data-'));
  afterAll(() => {
    rmSync(keyDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('runs all four components with demo auth, restarts a killed one, and stops everything on Ctrl-C', async () => {
    const keyFile = join(keyDir, 'demo-signing-key.json');
    const ports = {
      gateway: await freePort(),
      customers: await freePort(),
      invoices: await freePort(),
      grpc: await freePort(),
    };
    const stack = spawn(
      process.execPath,
      [
        'node_modules/tsx/dist/cli.mjs',
        'src/cli/main.ts',
        'stack',
        ...['--gateway-port', String(ports.gateway), '--customers-port', String(ports.customers)],
        ...['--invoices-port', String(ports.invoices), '--invoices-service-port', String(ports.grpc)],
        ...['--restart-delay', '300'],
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, LOG_LEVEL: 'info', AG_DEMO_KEY_FILE: keyFile, AG_DATA_DIR: dataDir },
      },
    );
    const output = new Output(stack);
    const gateway = `http://127.0.0.1:${ports.gateway}`;
    try {
      await output.next(/\[gateway\] .*gateway listening/);
      const pids = await Promise.all(
        ['customers', 'invoices', 'invoices-service', 'gateway'].map(async (name) =>
          Number(/pid (\d+)/.exec(await output.next(new RegExp(`\\[stack\\] started ${name} `)))![1]),
        ),
      );
      // Components may start in any order: wait until the gateway has composed both.
      const ready = async () => (await gql(gateway, '{ customers { id invoices { id } } }')).errors === undefined;
      for (;;) {
        const from = output.count;
        if (await ready()) break;
        await output.next(/\[gateway\] .*serving schema/, from);
      }

      // Demo auth on by default: anonymous callers read, createInvoice needs a demo token with invoices:write.
      expect(await output.next(/^ +demo tokens /)).toContain(keyFile);
      const createInvoice = 'mutation { createInvoice(customerId: "1", amount: 1) { id } }';
      expect((await gql(gateway, createInvoice)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      const writer = await signDemoToken(await demoSigningKey(keyFile), {
        scopes: ['invoices:write'],
        subject: 'stack-test',
        expiresIn: '5m',
      });
      expect(
        (await gql(gateway, createInvoice, undefined, { authorization: `Bearer ${writer}` })).errors,
      ).toBeUndefined();
      // Kept in the embedded database under the data folder: it outlives the process killed below.
      const created = await gql<{ createCustomer: { id: string } }>(
        gateway,
        'mutation { createCustomer(name: "Kept Across Restarts", email: "kept@example.com") { id } }',
        undefined,
        { authorization: `Bearer ${writer}` },
      );
      expect(created.errors).toBeUndefined();
      expect(readdirSync(dataDir).sort()).toEqual(['customers', 'invoices-service']);

      const mark = output.count;
      const killedAt = Date.now();
      process.kill(pids[0]!, 'SIGKILL');
      await output.next(/\[gateway\] .*serving schema \S+ with invoices"/, mark);
      const dropMs = Date.now() - killedAt;
      const refused = await gql(gateway, '{ customers { id } }');
      expect(refused.errors?.[0]?.extensions?.code).toBe('OPERATION_UNAVAILABLE');
      expect(dropMs).toBeLessThan(5000); // about a second in practice; generous on a loaded machine

      await output.next(/\[stack\] customers exited \(SIGKILL\); restarting in \d+ ms/, mark);
      await output.next(/\[gateway\] .*serving schema \S+ with customers, invoices"/, mark);
      expect((await gql(gateway, '{ customers { id } }')).errors).toBeUndefined();
      const kept = await gql(gateway, `{ customer(id: "${created.data!.createCustomer.id}") { name } }`);
      expect(kept.data).toEqual({ customer: { name: 'Kept Across Restarts' } });

      const exited = once(stack, 'exit');
      stack.kill('SIGINT');
      const [code] = await exited;
      expect(code).toBe(0);
      const restartedPid = Number(/pid (\d+)/.exec(await output.next(/\[stack\] started customers /, mark))![1]);
      expect([restartedPid, ...pids.slice(1)].filter(processAlive)).toEqual([]);
    } finally {
      if (stack.exitCode === null) {
        const exited = once(stack, 'exit');
        stack.kill('SIGKILL');
        await exited;
      }
    }
  });
});
