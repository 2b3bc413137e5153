import { jest } from '@jest/globals';
import { ExitCode } from '../../src/client/exitCodes.js';
import { startGateway, type RunningGateway } from '../../src/gateway/startGateway.js';
import { silentLogger } from '../../src/platform/logger.js';
import { affordancesWhere, composed } from '../helpers/gateway.js';
import { gql } from '../helpers/graphql.js';
import { gatewayOverBackends } from '../helpers/gatewayFixture.js';
import { Backends } from '../helpers/servers.js';
import { Lines, runCli, spawnCli, stop } from './cliProcess.js';
import { RecordingProxy } from './recordingProxy.js';

// Each CLI run loads the whole CLI through tsx (a few seconds on 2 cores).
jest.setTimeout(60_000);

/** A table row of `client list`: "│ customers │ up │ …". */
const row = (...cells: string[]) => new RegExp(`^│ ${cells.map((c) => `${c} +`).join('│ ')}│`, 'm');

describe('affordance-gateway client, against the real local servers', () => {
  let gateway: RunningGateway;
  let env: Record<string, string>;
  const backends = gatewayOverBackends({
    restoreCustomers: true,
    started: (g) => {
      gateway = g;
      env = { AG_GATEWAY_URL: g.url };
    },
  });

  test('list prints tables; call runs an operation from flags (exit 0) or reports every bad flag (exit 2)', async () => {
    const [list, created, badArguments] = await Promise.all([
      runCli(['list'], env),
      runCli(['call', 'createInvoice', '--customerId', '1', '--amount', '120.50', '--description', 'CLI test'], env),
      runCli(['call', 'createInvoice', '--amount', 'abc', '--customerid', '1', '--json'], env),
    ]);

    expect(list).toMatchObject({ code: ExitCode.OK, stderr: '' });
    expect(list.stdout).toMatch(row('customers', 'up'));
    expect(list.stdout).toMatch(
      row(
        'createInvoice',
        'mutation',
        'invoices',
        'customerId: ID!, amount: Float!, currency: String = "EUR", description: String = ""',
      ),
    );
    expect(list.stdout).toMatch(/^Available now \(7\)$/m);
    expect(list.stdout).toMatch(/^Unavailable \(0\)\nnone: every known operation can be called$/m);

    expect(created).toMatchObject({ code: ExitCode.OK, stderr: '' });
    expect(created.stdout).toMatch(row('amount', '120.5'));
    expect(created.stdout).toMatch(row('description', 'CLI test'));
    const id = /│ id +│ (inv-\d+) +│/.exec(created.stdout)![1]!;
    const stored = await gql<{ invoice: { amount: number; customer: { id: string } } }>(
      gateway.url,
      'query ($id: ID!) { invoice(id: $id) { amount customer { id } } }',
      { id },
    );
    expect(stored.data!.invoice).toEqual({ amount: 120.5, customer: { id: '1' } });

    // Every problem at once, as JSON for scripts: exit 2.
    expect(badArguments.code).toBe(ExitCode.USAGE);
    const [error] = JSON.parse(badArguments.stdout).errors;
    expect(error.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      operation: 'createInvoice',
      problems: [
        'unknown argument --customerid; did you mean --customerId?',
        'missing required argument --customerId (ID!)',
        '--amount expects a Float (a number), got "abc"',
      ],
    });
    expect(error.message).toMatch(/usage: affordance-gateway client call createInvoice --customerId <ID!> --amount/);
  });

  test('call refuses an unavailable operation with the reason and exit 3, without sending it', async () => {
    const proxy = await new RecordingProxy(gateway.url).start();
    try {
      await backends.stopCustomers();
      await affordancesWhere(gateway, composed('customers', false));
      const result = await runCli(
        ['call', 'createCustomer', '--name', 'Barbara Liskov', '--email', 'barbara@example.com'],
        { AG_GATEWAY_URL: proxy.url },
      );
      expect(result.code).toBe(ExitCode.UNAVAILABLE);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(
        /^error: createCustomer is unavailable: subgraph customers is unavailable: http customers: .* It was not sent\./,
      );
      // Only the affordances query went to the gateway.
      expect(proxy.queries).toEqual([expect.stringMatching(/^\s*query Affordances\b/)]);
    } finally {
      await proxy.close();
    }
  });
});

describe('affordance-gateway client list --watch (output into a pipe)', () => {
  test('prints a new table as customers goes down and comes back, and rides out a gateway restart', async () => {
    const backends = await new Backends().startAll();
    const config = backends.gatewayConfig();
    let gateway: RunningGateway | undefined = await startGateway({ config, logger: silentLogger });
    const watcher = spawnCli(['list', '--watch'], { AG_GATEWAY_URL: gateway.url });
    const out = new Lines(watcher.stdout!);
    const err = new Lines(watcher.stderr!);
    try {
      const first = await out.next(row('customers', 'up'));
      await backends.stopCustomers();
      const down = await out.next(row('customers', 'down'), first.index);
      const unavailable = await out.next(/^Unavailable \(3\)$/, down.index);
      await out.next(
        row('createCustomer', 'mutation', 'customers', '\\S.*', 'subgraph customers is unavailable: .*'),
        unavailable.index,
      );

      await backends.startCustomers();
      const back = await out.next(row('customers', 'up'), unavailable.index);
      await out.next(/^Unavailable \(0\)$/, back.index);

      // The gateway restarts on the same port: the watcher says so and carries on.
      const port = Number(new URL(gateway.url).port);
      await gateway.close();
      gateway = undefined;
      await err.next(/^gateway unreachable at .*: (the gateway closed the stream|cannot reach)/);
      gateway = await startGateway({ config: { ...config, server: { ...config.server, port } }, logger: silentLogger });
      await err.next(/^reconnected at /);
      await backends.stopInvoices();
      await out.next(row('invoices', 'down'), back.index);

      expect(await stop(watcher, 'SIGINT')).toBe(ExitCode.OK);
    } finally {
      await stop(watcher);
      await gateway?.close();
      await backends.stopAll();
    }
  });
});
