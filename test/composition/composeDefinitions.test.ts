import { parse, print, type DocumentNode } from 'graphql';
import { BuiltSubgraphs } from '../../src/composition/builtSubgraphs.js';
import { composeSdl } from '../../src/composition/composeSdl.js';
import { composeDefinitions, hashSdl, type SubgraphDefinition } from '../../src/composition/composeSupergraph.js';
import { typeDefs as customers } from '../../subgraphs/customers/typeDefs.js';
import { typeDefs as invoices } from '../../subgraphs/invoices/typeDefs.js';

const definition = (name: string, typeDefs: DocumentNode): SubgraphDefinition => ({
  name,
  url: `http://${name}/graphql`,
  typeDefs,
  sdlHash: hashSdl(print(typeDefs)),
});

/** A subgraph adding `field: type` to Query; two of them with different types do not compose. */
const adding = (field: string, type: string) =>
  parse(`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@shareable"])
    type Query { ${field}: ${type} @shareable }
  `);

describe('composeDefinitions', () => {
  test('returns composition errors as values', () => {
    const composed = composeDefinitions([
      definition('a', adding('same', 'Int')),
      definition('b', adding('same', 'String')),
    ]);
    expect(composed.ok).toBe(false);
    expect(!composed.ok && composed.errors.join()).toMatch(/Query\.same/);
  });

  test('builds each subgraph once across compositions, and composes the same supergraphs as fresh builds', () => {
    const [c, i, s, int, string] = [
      definition('customers', customers),
      definition('invoices', invoices),
      definition('shapes', adding('other', 'Float')),
      definition('intField', adding('same', 'Int')),
      definition('stringField', adding('same', 'String')),
    ];
    // Successes and failures in turn, with the same subgraphs: what one composition does
    // with a built subgraph must not change the next.
    const sets = [
      [c, i, s, int],
      [c, int, string],
      [i, s],
      [c, i, s, int],
      [c, s, string],
    ];
    const built = new BuiltSubgraphs();
    for (const set of sets) expect(composeDefinitions(set, built)).toEqual(composeDefinitions(set));
  });

  test('a worker job parses only the SDL of subgraphs it has not built, and reports one that does not parse', () => {
    const sdl = print(customers);
    const job = (text: string) => ({
      key: 'k',
      subgraphs: [{ name: 'customers', url: 'http://customers/graphql', sdl: text, sdlHash: hashSdl(sdl) }],
      unavailable: [],
      established: [],
    });
    const built = new BuiltSubgraphs();
    expect(composeSdl(job(sdl), built).ok).toBe(true);
    // Same name, URL and hash: the built subgraph is used, the (here broken) text is not read.
    expect(composeSdl(job('type {'), built).ok).toBe(true);
    const broken = composeSdl(job('type {'));
    expect(broken.ok).toBe(false);
    expect(!broken.ok && broken.errors.join()).toMatch(/subgraph customers: its SDL does not parse/);
  });
});
