import { composeServices } from '@apollo/composition';
import { buildASTSchema, parse } from 'graphql';
import type { AffordanceSnapshot } from '../../src/affordances/affordanceState.js';
import { CallerViews } from '../../src/affordances/callerViews.js';
import type { Affordances } from '../../src/affordances/types.js';
import { ServedRequirements } from '../../src/serving/access/servedRequirements.js';
import type { Caller } from '../../src/serving/access/caller.js';

const supergraphSdl = composeServices([
  {
    name: 'a',
    url: 'http://a',
    typeDefs: parse(`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@requiresScopes"])
      type Query { open: Int, reports: Int @requiresScopes(scopes: [["reports:read"]]) }`),
  },
]).supergraphSdl!;
const supergraphSchema = buildASTSchema(parse(supergraphSdl), { assumeValidSDL: true });

const op = (name: string) => ({
  name,
  kind: 'QUERY' as const,
  subgraph: 'a',
  arguments: [],
  returnType: 'Int',
  example: `query { ${name} }`,
  removedFields: [],
});
const affordances: Affordances = {
  schemaVersion: '1-x',
  schemaLoadedAt: new Date(0).toISOString(),
  available: [op('open'), op('reports')],
  unavailable: [],
  subgraphs: [],
  removed: [],
  composition: { state: 'COMPLETE', errors: [] },
};
const snapshot = { affordances, apiSchema: supergraphSchema } as unknown as AffordanceSnapshot;
const caller = (subject: string, ...scopes: string[]): Caller => ({
  authenticated: true,
  subject,
  scopes: new Set(scopes),
  claims: { sub: subject },
});

function views(enabled = true): CallerViews {
  const requirements = new ServedRequirements();
  requirements.follow({
    onState: (listener) => (listener({ schema: supergraphSchema, supergraphSchema } as never), () => {}),
  });
  return new CallerViews(requirements, enabled);
}

describe('CallerViews', () => {
  test('one view object per distinct set of the scopes the schema requires, whoever the subject', () => {
    const shared = views();
    const alice = shared.viewOf(snapshot, caller('alice', 'reports:read', 'x'));
    const bob = shared.viewOf(snapshot, caller('bob', 'reports:read'));
    const carol = shared.viewOf(snapshot, caller('carol'));
    expect(bob).toBe(alice);
    expect(carol).not.toBe(alice);
    expect(alice.available.map((o) => o.name)).toEqual(['open', 'reports']);
    expect(carol.unavailable).toEqual([
      expect.objectContaining({ name: 'reports', reason: 'requires scope reports:read', reasonKind: 'FORBIDDEN' }),
    ]);
  });

  test('off: every caller gets the snapshot itself', () => {
    expect(views(false).viewOf(snapshot, caller('alice'))).toBe(affordances);
  });
});
