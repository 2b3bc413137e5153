import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { jest } from '@jest/globals';
import { demoSigningKey, signDemoToken } from '../../src/stack/demoSigningKey.js';
import { gql } from '../helpers/graphql.js';
import { processAlive } from '../helpers/processAlive.js';
import { startStackProcess } from '../helpers/stackProcess.js';

jest.setTimeout(90_000);

describe('npm start: the local stack', () => {
  test('runs all four components with demo auth, restarts a killed one, and stops everything on Ctrl-C', async () => {
    const stack = await startStackProcess();
    const { output, child, keyFile, dataDir } = stack;
    const gateway = stack.gatewayUrl;
    try {
      await output.next(/\[gateway\] .*gateway listening/);
      const pids = await Promise.all(
        ['customers', 'invoices', 'invoices-service', 'gateway'].map(async (name) =>
          Number(/pid (\d+)/.exec((await output.next(new RegExp(`\\[stack\\] started ${name} `))).line)![1]),
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
      expect((await output.next(/^ +demo tokens /)).line).toContain(keyFile);
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

      const exited = once(child, 'exit');
      child.kill('SIGINT');
      const [code] = await exited;
      expect(code).toBe(0);
      const restartedPid = Number(/pid (\d+)/.exec((await output.next(/\[stack\] started customers /, mark)).line)![1]);
      expect([restartedPid, ...pids.slice(1)].filter(processAlive)).toEqual([]);
    } finally {
      await stack.close();
    }
  });
});
