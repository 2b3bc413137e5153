import type { AffordancesJson } from '../../src/client/affordancesJson.js';
import { ExitCode } from '../../src/client/exitCodes.js';
import { token } from '../helpers/jwks.js';
import { securedGateway } from '../helpers/securedGateway.js';
import { runCli } from './cliProcess.js';

describe('client with a token (auth configured)', () => {
  const fixture = securedGateway();

  test('list shows what this caller can do: --token, or AG_TOKEN', async () => {
    const writer = await token(fixture.key, { scope: 'reports:write' });
    const anonymous = await runCli(['list', '--url', fixture.gateway.url]);
    expect(anonymous.code).toBe(ExitCode.OK);
    expect(anonymous.stdout).toContain('As: anonymous');
    expect(anonymous.stdout).toMatch(/publish .*requires scope reports:write/);

    const byFlag = await runCli(['list', '--url', fixture.gateway.url, '--json', '--token', writer]);
    const byEnv = await runCli(['list', '--url', fixture.gateway.url, '--json'], { AG_TOKEN: writer });
    for (const result of [byFlag, byEnv]) {
      expect(result.code).toBe(ExitCode.OK);
      const affordances = JSON.parse(result.stdout) as AffordancesJson;
      expect(affordances.caller).toEqual({ authenticated: true, scopes: ['reports:write'] });
      expect(affordances.available.map((op) => op.name)).toContain('publish');
      expect(affordances.unavailable.find((op) => op.name === 'reports')?.reasonKind).toBe('FORBIDDEN');
    }
  });

  test('call refuses, unsent, what this caller may not call, and runs it with a token that may', async () => {
    const before = fixture.subgraph.fetches().length;
    const refused = await runCli(['call', 'publish', '--url', fixture.gateway.url, '--title', 'x']);
    expect(refused.code).toBe(ExitCode.UNAVAILABLE);
    expect(refused.stderr + refused.stdout).toContain('requires scope reports:write');
    expect(fixture.subgraph.fetches().length).toBe(before);
    const writer = await token(fixture.key, { scope: 'reports:write' });
    const ran = await runCli(['call', 'publish', '--url', fixture.gateway.url, '--title', 'x', '--json'], {
      AG_TOKEN: writer,
    });
    expect(ran.code).toBe(ExitCode.OK);
    expect(JSON.parse(ran.stdout)).toMatchObject({ data: { publish: { id: 'r2', title: 'x' } } });
  });
});
