import type { Affordances } from '../../src/affordances/types.js';
import { AFFORDANCES_QUERY } from '../../src/client/affordancesJson.js';
import { SseConnection } from '../delivery/stream/sseConnection.js';
import { token } from '../helpers/jwks.js';
import { securedGateway } from '../helpers/securedGateway.js';

async function affordancesAs(url: string, bearer?: string): Promise<Affordances> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer && { authorization: `Bearer ${bearer}` }) },
    body: JSON.stringify({ query: AFFORDANCES_QUERY }),
  });
  const body = (await response.json()) as { data: { affordances: Affordances } };
  return body.data.affordances;
}

const names = (ops: readonly { name: string }[]) => ops.map((op) => op.name).sort();
const unavailableOf = (a: Affordances, name: string) => a.unavailable.find((op) => op.name === name);

describe('affordances per caller', () => {
  const fixture = securedGateway();

  test('anonymous: what needs a token is unavailable with reasonKind UNAUTHENTICATED', async () => {
    const a = await affordancesAs(fixture.gateway.url);
    expect(a.caller).toEqual({ authenticated: false, scopes: [] });
    expect(names(a.available)).toEqual(['affordances', 'echo']);
    expect(unavailableOf(a, 'secret')).toMatchObject({
      reason: 'requires authentication',
      reasonKind: 'UNAUTHENTICATED',
    });
    expect(unavailableOf(a, 'reports')).toMatchObject({
      reason: 'requires scope reports:read, or scope admin',
      reasonKind: 'UNAUTHENTICATED',
    });
    expect(unavailableOf(a, 'publish')).toMatchObject({ reasonKind: 'UNAUTHENTICATED' });
  });

  test('a reader: publish is FORBIDDEN with the scope it needs; the example of reports leaves out what it may not select', async () => {
    const a = await affordancesAs(fixture.gateway.url, await token(fixture.key, { scope: 'reports:read other' }));
    expect(a.caller).toEqual({ authenticated: true, scopes: ['reports:read'] });
    expect(names(a.available)).toEqual(['affordances', 'echo', 'reports', 'secret']);
    expect(unavailableOf(a, 'publish')).toMatchObject({
      reason: 'requires scope reports:write',
      reasonKind: 'FORBIDDEN',
    });
    const example = a.available.find((op) => op.name === 'reports')!.example;
    expect(example).toContain('title');
    expect(example).not.toContain('total');
  });

  test('a writer with finance:read: everything, and the examples select total', async () => {
    const bearer = await token(fixture.key, { scope: 'reports:read reports:write finance:read' });
    const a = await affordancesAs(fixture.gateway.url, bearer);
    expect(names(a.available)).toEqual(['affordances', 'echo', 'publish', 'reports', 'secret']);
    expect(a.unavailable).toEqual([]);
    expect(a.available.find((op) => op.name === 'publish')!.example).toContain('total');
  });

  test('availability reasons carry their own kind, apart from the caller ones', async () => {
    const a = await affordancesAs(fixture.gateway.url);
    for (const op of a.unavailable) expect(['UNAUTHENTICATED', 'FORBIDDEN']).toContain(op.reasonKind);
  });

  test('the change stream sends each client its own view; a bad token gets 401', async () => {
    const url = `${fixture.gateway.url}/affordances/stream`;
    const anonymous = await SseConnection.open(url);
    const writer = await SseConnection.open(url, {
      authorization: `Bearer ${await token(fixture.key, { scope: 'reports:write' })}`,
    });
    const forged = await SseConnection.open(url, { authorization: 'Bearer nonsense' });
    try {
      const seenByAnonymous = (await anonymous.nextEvent<Affordances>()).data;
      const seenByWriter = (await writer.nextEvent<Affordances>()).data;
      expect(unavailableOf(seenByAnonymous, 'publish')?.reasonKind).toBe('UNAUTHENTICATED');
      expect(names(seenByWriter.available)).toContain('publish');
      expect(unavailableOf(seenByWriter, 'reports')).toMatchObject({ reasonKind: 'FORBIDDEN' });
      expect(forged.status).toBe(401);
      expect(forged.headers['www-authenticate']).toContain('error="invalid_token"');
    } finally {
      anonymous.close();
      writer.close();
      forged.close();
    }
  });

  test('many callers share one view per distinct scope set: equal views are one object', async () => {
    const { gateway } = fixture;
    const snapshot = gateway.affordances.get()!;
    const tokens = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        token(fixture.key, { subject: `user-${i}`, scope: i % 2 ? 'reports:read' : 'reports:read unrelated:scope' }),
      ),
    );
    const answers = await Promise.all(tokens.map((t) => affordancesAs(gateway.url, t)));
    // Same scopes among those the schema requires: the same answer, whoever the subject.
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(gateway.affordances.get()).toBe(snapshot);
  });
});
