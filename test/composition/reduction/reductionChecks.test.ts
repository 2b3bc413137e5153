import { print } from 'graphql';
import { reduceSubgraphs } from '../../../src/composition/reduction/index.js';
import type { ReductionResult, Removal } from '../../../src/composition/reduction/index.js';
import { elementKey } from '../../../src/composition/reduction/schemaElement.js';
import { withoutElements } from '../../../src/composition/reduction/withoutElements.js';
import { available as availableOf, unavailable as unavailableOf } from './fixtures.js';
import { compositionProblems, keptDocuments, restorableRemovals, unservedNeeds } from './reductionChecks.js';

/** The property test's checks catch wrong reductions: too little removed, or too much. */

const A = `type Product @key(fields: "id") { id: ID! price: Int } type Query { aTop: [Product] }`;
const B = `type Product @key(fields: "id") { id: ID! price: Int @external shipping: Int @requires(fields: "price") } type Query { bTop: Int bOther: Int }`;
const C = `type Query { cTop: Int }`;
const available = availableOf({ b: B, c: C });
const unavailable = unavailableOf({ a: A });

test('the checks pass the real reduction', () => {
  const result = reduceSubgraphs({ available, unavailable });
  expect(compositionProblems(available, result)).toEqual([]);
  expect(unservedNeeds(keptDocuments(available, result))).toEqual([]);
  expect(restorableRemovals(available, result)).toEqual([]);
});

test('a reduction that removes too little fails (a) and (b)', () => {
  const result = reduceSubgraphs({ available, unavailable });
  const tooLittle: ReductionResult = {
    ...result,
    removed: [],
    subgraphs: result.subgraphs.map((s) => ({ name: s.name, url: s.url, changed: false })),
  };
  expect(compositionProblems(available, tooLittle)).not.toEqual([]);
  expect(unservedNeeds(keptDocuments(available, tooLittle))).toEqual([
    'b: Product.price is @external and no kept subgraph resolves it',
  ]);
});

test('a reduction that removes too much fails (c): the extra removal could be restored', () => {
  const result = reduceSubgraphs({ available, unavailable });
  const extra: Removal = {
    subgraph: 'b',
    kind: 'field',
    coordinate: 'Query.bOther',
    cause: { rule: 'emptied' },
    needs: undefined,
    reason: 'sabotage',
  };
  const removed = [...result.removed, extra];
  const keys = new Set(removed.map(elementKey));
  const tooMuch: ReductionResult = {
    ...result,
    removed,
    subgraphs: result.subgraphs.map((s) =>
      s.name === 'b'
        ? { name: 'b', url: s.url, changed: true, sdl: print(withoutElements(available[0]!.typeDefs, keys)) }
        : s,
    ),
  };
  expect(compositionProblems(available, tooMuch)).toEqual([]);
  expect(restorableRemovals(available, tooMuch).map((r) => r.coordinate)).toEqual(['Query.bOther']);
});
