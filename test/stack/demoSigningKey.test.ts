import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify } from 'jose';
import {
  DEMO_AUDIENCE,
  DEMO_ISSUER,
  demoJwks,
  demoKeyFile,
  demoSigningKey,
  signDemoToken,
} from '../../src/stack/demoSigningKey.js';

describe('the demo signing key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ag-demo-key-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('lives outside the tree: AG_DEMO_KEY_FILE, else under $XDG_STATE_HOME, else ~/.local/state', () => {
    expect(demoKeyFile({ AG_DEMO_KEY_FILE: '/k.json', XDG_STATE_HOME: '/s' })).toBe('/k.json');
    expect(demoKeyFile({ XDG_STATE_HOME: '/s' })).toBe('/s/affordance-gateway/demo-signing-key.json');
    expect(demoKeyFile({ HOME: '/h' })).toMatch(/\/\.local\/state\/affordance-gateway\/demo-signing-key\.json$/);
  });

  test('first uses at once make one key, kept; its tokens verify against its public set only', async () => {
    const file = join(dir, 'nested', 'key.json');
    const keys = await Promise.all(Array.from({ length: 8 }, () => demoSigningKey(file)));
    expect(new Set(keys.map((k) => k.kid)).size).toBe(1);
    expect((await demoSigningKey(file)).kid).toBe(keys[0]!.kid);
    expect(readdirSync(join(dir, 'nested'))).toEqual(['key.json']);

    const jwt = await signDemoToken(keys[0]!, { scopes: ['invoices:write', 'a'], subject: 'alice', expiresIn: '1h' });
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(demoJwks(keys[0]!)), {
      issuer: DEMO_ISSUER,
      audience: DEMO_AUDIENCE,
    });
    expect(payload).toMatchObject({ sub: 'alice', scope: 'invoices:write a' });
    expect(payload.exp! - payload.iat!).toBe(3600);

    const other = await demoSigningKey(join(dir, 'other.json'));
    await expect(jwtVerify(jwt, createLocalJWKSet(demoJwks(other)))).rejects.toThrow();
  });
});
