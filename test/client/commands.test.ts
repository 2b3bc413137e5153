import { jest } from '@jest/globals';
import type { Affordances } from '../../src/affordances/types.js';
import { AFFORDANCES_QUERY } from '../../src/client/affordancesJson.js';
import { callCommand } from '../../src/client/callCommand.js';
import { ClientError } from '../../src/client/clientError.js';
import { ExitCode } from '../../src/client/exitCodes.js';
import { GatewayClient } from '../../src/client/gatewayClient.js';
import { gatewayBaseUrl } from '../../src/client/gatewayUrl.js';
import { listCommand } from '../../src/client/listCommand.js';
import { CLEAR_SCREEN } from '../../src/client/terminal.js';
import type { RunningGateway } from '../../src/gateway/startGateway.js';
import { freePort } from '../helpers/freePort.js';
import { affordancesWhere, composed } from '../helpers/gateway.js';
import { gql } from '../helpers/graphql.js';
import { gatewayOverBackends } from '../helpers/gatewayFixture.js';
import { CaptureTerminal } from './captureTerminal.js';

jest.setTimeout(20_000);

/** The ClientError a promise rejects with (fails the test if it resolves). */
async function clientError(promise: Promise<unknown>): Promise<ClientError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ClientError)) throw new Error(`expected a ClientError, got ${String(error)}`);
  return error;
}

describe('client commands in-process, against the real gateway', () => {
  let gateway: RunningGateway;
  let client: GatewayClient;
  const notAborted = new AbortController().signal;
  const backends = gatewayOverBackends({
    restoreCustomers: true,
    started: (g) => {
      gateway = g;
      client = new GatewayClient(g.url, 5000);
    },
  });

  test('list --json prints exactly what the affordances query answers', async () => {
    const terminal = new CaptureTerminal();
    expect(await listCommand(client, { json: true, watch: false, signal: notAborted }, terminal)).toBe(ExitCode.OK);
    const query = await gql<{ affordances: Affordances }>(gateway.url, AFFORDANCES_QUERY);
    expect(JSON.parse(terminal.stdout)).toEqual(query.data!.affordances);
  });

  test('list --watch --json prints one JSON object per line, for every change, until stopped', async () => {
    const terminal = new CaptureTerminal();
    const abort = new AbortController();
    const watching = listCommand(client, { json: true, watch: true, signal: abort.signal }, terminal);
    const states = () => terminal.lines.map((line) => JSON.parse(line) as Affordances);
    await terminal.until(() => states().some(composed('customers')));
    await backends.stopCustomers();
    await terminal.until(() => states().some(composed('customers', false)));
    await backends.startCustomers();
    await terminal.until(() => composed('customers')(states().at(-1)!));
    abort.abort();
    expect(await watching).toBe(ExitCode.OK);
    expect(terminal.stderr).toBe('');
  });

  test('list --watch on a terminal redraws in place, fitted to its width', async () => {
    const terminal = new CaptureTerminal(true, 100);
    const abort = new AbortController();
    const watching = listCommand(client, { json: false, watch: true, signal: abort.signal }, terminal);
    const screens = () => terminal.stdout.split(CLEAR_SCREEN).slice(1);
    await terminal.until(() => screens().length === 1);
    await backends.stopCustomers();
    // Availability says "down" first; the redraw after the swap shows its operations gone.
    await terminal.until(() => /^Unavailable \(3\)$/m.test(screens().at(-1)!));
    abort.abort();
    expect(await watching).toBe(ExitCode.OK);
    expect(terminal.stdout.startsWith(CLEAR_SCREEN)).toBe(true);
    const last = screens().at(-1)!;
    expect(last).toMatch(/^│ customers +│ down +│/m);
    expect(last).toMatch(/watching http:\/\/127\.0\.0\.1:\d+\/affordances\/stream · Ctrl-C stops\n$/);
    expect(Math.max(...last.split('\n').map((line) => line.length))).toBeLessThanOrEqual(100);
  });

  test('call --json prints the GraphQL response; errors in it exit 1', async () => {
    const ok = new CaptureTerminal();
    expect(await callCommand(client, 'customer', ['--id', '2'], { json: true, dryRun: false }, ok)).toBe(ExitCode.OK);
    expect(JSON.parse(ok.stdout)).toEqual({ data: { customer: expect.objectContaining({ name: 'Grace Hopper' }) } });

    const failed = new CaptureTerminal();
    expect(await callCommand(client, 'invoice', ['--id', 'nope'], { json: false, dryRun: false }, failed)).toBe(
      ExitCode.FAILED,
    );
    expect(failed.stderr).toMatch(/^error: invoice failed: .* \[BAD_USER_INPUT\]$/m);
  });

  test('call --dry-run prints the document and typed variables without running it', async () => {
    const terminal = new CaptureTerminal();
    const flags = ['--customerId', '1', '--amount=-0.5', '--currency', 'USD'];
    expect(await callCommand(client, 'createInvoice', flags, { json: true, dryRun: true }, terminal)).toBe(ExitCode.OK);
    const { query, variables } = JSON.parse(terminal.stdout);
    expect(query).toMatch(/^mutation CreateInvoice\(\$customerId: ID!, \$amount: Float!/);
    expect(variables).toEqual({ customerId: '1', amount: -0.5, currency: 'USD' });
  });

  test('call of an unknown operation is a usage error naming the near match', async () => {
    const error = await clientError(
      callCommand(client, 'createinvoice', [], { json: false, dryRun: false }, new CaptureTerminal()),
    );
    expect(error).toMatchObject({ exitCode: ExitCode.USAGE, code: 'UNKNOWN_OPERATION' });
    expect(error.message).toBe('unknown operation "createinvoice"; did you mean createInvoice?');
  });

  test('call of an unavailable operation is refused with its reason (exit 3)', async () => {
    await backends.stopCustomers();
    await affordancesWhere(gateway, composed('customers', false));
    const error = await clientError(
      callCommand(client, 'customers', [], { json: true, dryRun: false }, new CaptureTerminal()),
    );
    expect(error.exitCode).toBe(ExitCode.UNAVAILABLE);
    expect(error.toJson().errors[0]!.extensions).toMatchObject({
      code: 'OPERATION_UNAVAILABLE',
      subgraph: 'customers',
      reason: expect.stringMatching(/^subgraph customers is unavailable: /),
      sent: false,
    });
  });

  test('an unreachable gateway is exit 4 with what to do', async () => {
    const nowhere = new GatewayClient(`http://127.0.0.1:${await freePort()}`, 2000);
    const error = await clientError(nowhere.affordances());
    expect(error.exitCode).toBe(ExitCode.UNREACHABLE);
    expect(error.message).toMatch(
      /^cannot reach the gateway at http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED.*--url or AG_GATEWAY_URL/,
    );
  });
});

describe('gatewayBaseUrl', () => {
  test('takes the base URL or the /graphql endpoint, and rejects what is not http(s)', () => {
    expect(gatewayBaseUrl(undefined)).toBe('http://127.0.0.1:4000');
    expect(gatewayBaseUrl('http://gw.example:8080/graphql')).toBe('http://gw.example:8080');
    expect(gatewayBaseUrl('https://example.com/prefix/graphql/')).toBe('https://example.com/prefix');
    expect(() => gatewayBaseUrl('localhost:4000')).toThrow(/not an http:\/\/ or https:\/\/ URL/);
    expect(() => gatewayBaseUrl('not a url')).toThrow(/is not a URL; give the gateway as --url/);
  });
});
