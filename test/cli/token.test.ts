import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import type { Affordances } from '../../src/affordances/types.js';
import { AFFORDANCES_QUERY } from '../../src/client/affordancesJson.js';
import { validateConfig } from '../../src/config/load.js';
import { startGateway, type RunningGateway } from '../../src/gateway/startGateway.js';
import { silentLogger } from '../../src/platform/logger.js';
import { DEMO_AUDIENCE, DEMO_ISSUER } from '../../src/stack/demoSigningKey.js';
import { affordancesWhere, available } from '../helpers/gateway.js';
import { gql } from '../helpers/graphql.js';
import { Backends } from '../helpers/servers.js';

// Each CLI run loads the CLI through tsx (a few seconds on 2 cores).
jest.setTimeout(60_000);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `affordance-gateway token ARGS` as a user would, with the demo key in `keyFile`. */
async function token(args: readonly string[], keyFile: string): Promise<Run> {
  const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'src/cli/main.ts', 'token', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, AG_DEMO_KEY_FILE: keyFile },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

const bearer = (jwt?: string): Record<string, string> => (jwt ? { authorization: `Bearer ${jwt}` } : {});
const CREATE_INVOICE = 'mutation { createInvoice(customerId: "1", amount: 12.5) { id } }';
const CREATE_CUSTOMER = 'mutation ($email: String!) { createCustomer(name: "Ada", email: $email) { id } }';

describe('affordance-gateway token: demo tokens, and the demo subgraphs’ directives', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ag-demo-key-'));
  const keyFile = join(dir, 'state', 'affordance-gateway', 'demo-signing-key.json');
  const backends = new Backends();
  let gateway: RunningGateway | undefined;

  beforeAll(() => backends.startAll());
  afterAll(async () => {
    await gateway?.close();
    await backends.stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  test('makes a key on first use and signs with it; a gateway with its JWKS accepts the tokens and honours the directives', async () => {
    const first = await token(['--scope', 'invoices:write', '--subject', 'alice'], keyFile);
    expect(first.code).toBe(0);
    expect(first.stderr).toBe(`made a demo signing key in ${keyFile} (for local demos only)\n`);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const writer = first.stdout.trim();
    const [other, jwks] = await Promise.all([token(['--scope', 'reports:read'], keyFile), token(['--jwks'], keyFile)]);
    expect([other.code, other.stderr, jwks.code]).toEqual([0, '', 0]);
    const keys = JSON.parse(jwks.stdout) as { keys: { d?: string }[] };
    expect(keys.keys).toHaveLength(1);
    expect(keys.keys[0]!.d).toBeUndefined();

    const config = backends.gatewayConfig();
    gateway = await startGateway({
      config: validateConfig({
        ...config,
        auth: { jwt: { jwks: keys, issuer: DEMO_ISSUER, audience: DEMO_AUDIENCE } },
      }),
      logger: silentLogger,
    });
    await affordancesWhere(gateway, (a) => available('customers')(a) && available('invoices')(a));
    const url = gateway.url;

    // createInvoice needs invoices:write; createCustomer a token; reading needs neither.
    const anonymous = await gql(url, CREATE_INVOICE);
    expect([anonymous.status, anonymous.errors?.[0]?.extensions?.code]).toEqual([401, 'UNAUTHENTICATED']);
    const forbidden = await gql(url, CREATE_INVOICE, undefined, bearer(other.stdout.trim()));
    expect([forbidden.status, forbidden.errors?.[0]?.extensions?.code]).toEqual([403, 'FORBIDDEN']);
    expect(forbidden.errors?.[0]?.message).toContain('invoices:write');
    const created = await gql(url, CREATE_INVOICE, undefined, bearer(writer));
    expect([created.status, created.errors]).toEqual([200, undefined]);
    expect((await gql(url, CREATE_CUSTOMER, { email: 'ada-anon@example.com' })).status).toBe(401);
    expect(
      (await gql(url, CREATE_CUSTOMER, { email: 'demo-token-test@example.com' }, bearer(writer))).errors,
    ).toBeUndefined();
    expect((await gql(url, '{ customers(first: 1) { name invoices { id } } }')).errors).toBeUndefined();

    // A token of another key is refused, however it was made.
    const otherDir = join(dir, 'other.json');
    const foreign = await token(['--scope', 'invoices:write'], otherDir);
    expect((await gql(url, CREATE_INVOICE, undefined, bearer(foreign.stdout.trim()))).status).toBe(401);

    const affordances = async (jwt?: string) =>
      (await gql<{ affordances: Affordances }>(url, AFFORDANCES_QUERY, undefined, bearer(jwt))).data!.affordances;
    const seenBy = { anonymous: await affordances(), other: await affordances(other.stdout.trim()) };
    const unavailable = (a: Affordances, name: string) => a.unavailable.find((op) => op.name === name);
    expect(unavailable(seenBy.anonymous, 'createInvoice')).toMatchObject({
      reason: 'requires scope invoices:write',
      reasonKind: 'UNAUTHENTICATED',
    });
    expect(unavailable(seenBy.anonymous, 'createCustomer')).toMatchObject({
      reason: 'requires authentication',
      reasonKind: 'UNAUTHENTICATED',
    });
    expect(unavailable(seenBy.other, 'createInvoice')).toMatchObject({ reasonKind: 'FORBIDDEN' });
    expect(seenBy.other.available.map((op) => op.name)).toContain('createCustomer');
    expect((await affordances(writer)).unavailable).toEqual([]);
  });

  test('an unusable --expires or key file: a message and a non-zero exit, no token', async () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"not": "a key"}');
    const [badSpan, badKey] = await Promise.all([token(['--expires', 'soon'], keyFile), token([], broken)]);
    expect(badSpan).toMatchObject({ code: 2, stdout: '' });
    expect(badSpan.stderr).toContain("option '--expires <span>': not a time span");
    expect(badKey).toMatchObject({ code: 1, stdout: '' });
    expect(badKey.stderr).toContain(`${broken} is not a demo signing key`);
  });
});
