import { describeRemoval, reduceSubgraphs, reducedDefinitions } from '../../../src/composition/reduction/index.js';
import type { ReductionResult } from '../../../src/composition/reduction/index.js';
import { available, composeApi, unavailable } from './fixtures.js';

/** The API schema the reduced subgraphs compose to; fails the test when they do not. */
function servedSchema(input: Parameters<typeof reduceSubgraphs>[0], result: ReductionResult): string {
  const composed = composeApi(reducedDefinitions(input.available, result));
  if (!composed.ok) throw new Error(`reduced subgraphs do not compose: ${composed.errors.join('\n')}`);
  return composed.api;
}

function removedCoordinates(result: ReductionResult): string[] {
  return result.removed.map((r) => `${r.subgraph}:${r.coordinate}`);
}

const A = `type Product @key(fields: "id") { id: ID! price: Int } type Query { aTop: [Product] }`;
const B = `type Product @key(fields: "id") { id: ID! price: Int @external shipping: Int @requires(fields: "price") } type Query { bTop: Int }`;
const C = `type Query { cTop: Int }`;

describe('reduceSubgraphs, the example', () => {
  test('with a down, b loses Product.shipping (and its external price), and b + c compose', () => {
    const input = { available: available({ b: B, c: C }), unavailable: unavailable({ a: A }) };
    const result = reduceSubgraphs(input);
    expect(result.outcome.kind).toBe('reduced');
    expect(result.dropped).toEqual([]);
    expect(removedCoordinates(result).sort()).toEqual(['b:Product.price', 'b:Product.shipping']);
    const shipping = result.removed.find((r) => r.coordinate === 'Product.shipping')!;
    expect(shipping).toMatchObject({
      kind: 'field',
      cause: { rule: 'requires' },
      needs: { subgraph: 'a', coordinate: 'Product.price', state: 'down' },
      reason: 'Product.shipping requires Product.price from subgraph a, which is down',
    });
    expect(result.subgraphs.map((s) => [s.name, s.changed])).toEqual([
      ['b', true],
      ['c', false],
    ]);
    const schema = servedSchema(input, result);
    expect(schema).toMatch(/bTop: Int/);
    expect(schema).toMatch(/cTop: Int/);
    expect(schema).not.toMatch(/shipping/);
  });

  test('with every subgraph up, nothing is removed and the input comes back unchanged', () => {
    const result = reduceSubgraphs({ available: available({ a: A, b: B, c: C }), unavailable: [] });
    expect(result.outcome.kind).toBe('unchanged');
    expect(result.removed).toEqual([]);
    expect(result.rounds).toBe(1);
    expect(result.subgraphs.every((s) => !s.changed)).toBe(true);
  });

  test('the reason can say why the subgraph is down', () => {
    const result = reduceSubgraphs({ available: available({ b: B, c: C }), unavailable: unavailable({ a: A }) });
    const shipping = result.removed.find((r) => r.coordinate === 'Product.shipping')!;
    expect(describeRemoval(shipping, (name) => `which is down (${name}: readiness probe failing)`)).toBe(
      'Product.shipping requires Product.price from subgraph a, which is down (a: readiness probe failing)',
    );
  });

  test('the result survives structured cloning, and the input order does not matter', () => {
    const input = { available: available({ c: C, b: B }), unavailable: unavailable({ a: A }) };
    const result = reduceSubgraphs(input);
    expect(structuredClone(result)).toEqual(result);
    expect(reduceSubgraphs({ ...input, available: [...input.available].reverse() })).toEqual(result);
  });

  test('a name given twice is misuse and throws', () => {
    expect(() => reduceSubgraphs({ available: available({ b: B }), unavailable: unavailable({ b: A }) })).toThrow(
      /given twice/,
    );
  });
});

describe('reduceSubgraphs, rule by rule', () => {
  test('@external with an available owner stays', () => {
    const other = `type Product @key(fields: "id") { id: ID! price: Int @shareable } type Query { dTop: Product }`;
    const shareableA = A.replace('price: Int', 'price: Int @shareable');
    const input = { available: available({ b: B, c: C, d: other }), unavailable: unavailable({ a: shareableA }) };
    const result = reduceSubgraphs(input);
    expect(result.outcome.kind).toBe('unchanged');
    expect(result.removed).toEqual([]);
  });

  test('@provides of a field owned only by a down subgraph: only the directive goes', () => {
    const a = `type Product @key(fields: "id") { id: ID! name: String @shareable } type Query { aTop: Product }`;
    const b = `type Product @key(fields: "id") { id: ID! name: String @external } type Query { bTop: [Product] @provides(fields: "name") }`;
    const input = { available: available({ b, c: C }), unavailable: unavailable({ a }) };
    const result = reduceSubgraphs(input);
    expect(removedCoordinates(result).sort()).toEqual(['b:Product.name', 'b:Query.bTop @provides']);
    expect(result.removed.find((r) => r.kind === 'directive')).toMatchObject({
      cause: { rule: 'provides' },
      needs: { subgraph: 'a', coordinate: 'Product.name', state: 'down' },
    });
    expect(servedSchema(input, result)).toMatch(/bTop: \[Product\]/);
  });

  test('@override(from:) a down subgraph stays: the overriding subgraph serves the field', () => {
    const a = `type Product @key(fields: "id") { id: ID! price: Int weight: Int } type Query { aTop: Product }`;
    const b = `type Product @key(fields: "id") { id: ID! price: Int @override(from: "a") weight: Int @external shipping: Int @requires(fields: "weight") } type Query { bTop: Product }`;
    const input = { available: available({ b, c: C }), unavailable: unavailable({ a }) };
    const result = reduceSubgraphs(input);
    expect(removedCoordinates(result).sort()).toEqual(['b:Product.shipping', 'b:Product.weight']);
    const schema = servedSchema(input, result);
    expect(schema).toMatch(/price: Int/);
  });

  test('a key field owned only by the down subgraph takes the key', () => {
    const a = `type Product @key(fields: "sku") { sku: String! price: Int } type Query { aTop: Product }`;
    const b = `type Product @key(fields: "sku") { sku: String! @external reviewCount: Int } type Query { bTop: Int }`;
    expect(reduceSubgraphs({ available: available({ a, b, c: C }), unavailable: [] }).outcome.kind).toBe('unchanged');
    const input = { available: available({ b, c: C }), unavailable: unavailable({ a }) };
    const result = reduceSubgraphs(input);
    expect(result.removed.map((r) => [r.kind, r.coordinate, r.cause.rule])).toEqual([
      ['field', 'Product.sku', 'externalWithoutOwner'],
      ['key', 'Product @key(fields: "sku")', 'key'],
    ]);
    expect(result.removed[1]!.reason).toBe(
      'Product @key(fields: "sku") uses Product.sku from subgraph a, which is down',
    );
    expect(servedSchema(input, result)).toMatch(/bTop: Int/);
  });

  test('a type emptied by removals goes, with the fields returning it', () => {
    const a = `type Product @key(fields: "sku") { sku: String! price: Int @shareable } type Query { aTop: Product }`;
    const b = `type Product @key(fields: "sku") { sku: String! @external price: Int @external }
      type Review @key(fields: "id") { id: ID! body: String product: Product @provides(fields: "sku price") }
      type Query { bTop: Int review: Review }`;
    expect(reduceSubgraphs({ available: available({ a, b, c: C }), unavailable: [] }).outcome.kind).toBe('unchanged');
    const input = { available: available({ b, c: C }), unavailable: unavailable({ a }) };
    const result = reduceSubgraphs(input);
    expect(result.removed.map((r) => [r.kind, r.coordinate, r.cause.rule]).sort()).toEqual([
      ['directive', 'Review.product @provides', 'provides'],
      ['field', 'Product.price', 'externalWithoutOwner'],
      ['field', 'Product.sku', 'externalWithoutOwner'],
      ['field', 'Review.product', 'typeGone'],
      // Its key goes with the type, which emptied first.
      ['type', 'Product', 'emptied'],
    ]);
    const schema = servedSchema(input, result);
    expect(schema).toMatch(/body: String/);
    expect(schema).not.toMatch(/product:/);
  });

  test('@interfaceObject whose interface is only in the down subgraph goes, with the fields returning it', () => {
    const a = `interface Media @key(fields: "id") { id: ID! } type Book implements Media @key(fields: "id") { id: ID! title: String } type Query { aTop: [Media] }`;
    const b = `type Media @key(fields: "id") @interfaceObject { id: ID! rating: Int } type Query { bTop: Int topRated: [Media] }`;
    expect(reduceSubgraphs({ available: available({ a, b, c: C }), unavailable: [] }).outcome.kind).toBe('unchanged');
    const input = { available: available({ b, c: C }), unavailable: unavailable({ a }) };
    const result = reduceSubgraphs(input);
    expect(result.removed.map((r) => [r.coordinate, r.cause.rule])).toEqual([
      ['Media', 'interfaceObject'],
      ['Query.topRated', 'typeGone'],
    ]);
    expect(result.removed[0]!.needs).toEqual({ subgraph: 'a', coordinate: 'Media', state: 'down' });
    expect(servedSchema(input, result)).toMatch(/bTop: Int/);
  });

  test('a conflict composition reports is resolved in the subgraph the reduction changed', () => {
    const a = `type Product @key(fields: "id") @key(fields: "id sku") { id: ID! sku: String! name: String } type Query { aTop: Product }`;
    const b = `type Product @key(fields: "id sku") { id: ID! sku: String! @external rating: Int } type Query { other: Int }`;
    const c = `type Product @key(fields: "id") { id: ID! stock: Int } type Query { cTop: Product }`;
    expect(reduceSubgraphs({ available: available({ a, b, c }), unavailable: [] }).outcome.kind).toBe('unchanged');
    const input = { available: available({ b, c }), unavailable: unavailable({ a }) };
    const result = reduceSubgraphs(input);
    expect(result.outcome.kind).toBe('reduced');
    expect(result.removed.every((r) => r.subgraph === 'b')).toBe(true);
    expect(result.removed.find((r) => r.coordinate === 'Product.id')).toMatchObject({
      cause: { rule: 'composition', error: { code: 'INVALID_FIELD_SHARING' } },
    });
    const schema = servedSchema(input, result);
    expect(schema).toMatch(/stock: Int/);
    expect(schema).toMatch(/other: Int/);
  });

  test('an unknown SDL for the down subgraph leaves it to composition errors', () => {
    const input = { available: available({ b: B, c: C }), unavailable: [{ name: 'a' }] };
    const result = reduceSubgraphs(input);
    expect(result.outcome.kind).toBe('reduced');
    expect(result.removed.find((r) => r.coordinate === 'Product.price')).toMatchObject({
      cause: { rule: 'composition', error: { code: 'EXTERNAL_MISSING_ON_BASE' } },
    });
    expect(servedSchema(input, result)).toMatch(/bTop/);
  });

  test('rounds are bounded: with no room, nothing composes and every subgraph is dropped', () => {
    const result = reduceSubgraphs({
      available: available({ b: B, c: C }),
      unavailable: [{ name: 'a' }],
      maxRounds: 1,
    });
    expect(result.outcome.kind).toBe('nothingComposes');
    expect(result.dropped.map((d) => d.name)).toEqual(['b', 'c']);
    expect(result.dropped[0]!.errors[0]!.code).toBe('EXTERNAL_MISSING_ON_BASE');
    expect(result.subgraphs).toEqual([]);
  });

  test('no query root left anywhere: nothing composes', () => {
    const b = `type Product @key(fields: "id") { id: ID! price: Int @external shipping: Int @requires(fields: "price") }`;
    const result = reduceSubgraphs({ available: available({ b }), unavailable: unavailable({ a: A }) });
    expect(result.outcome).toMatchObject({ kind: 'nothingComposes', errors: [{ code: 'NO_QUERIES' }] });
  });
});
