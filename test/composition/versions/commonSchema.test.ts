import { buildSubgraph } from '@apollo/federation-internals';
import { parse, print } from 'graphql';
import { commonSchema, type SchemaVersion } from '../../../src/composition/versions/commonSchema.js';
import { sdl } from '../reduction/fixtures.js';

const OLD = '3f1c0a';
const NEW = '9ab2ff';

const CUSTOMERS = `
type Customer @key(fields: "id") { id: ID! name: String tier: Tier }
enum Tier { FREE PRO }
input CustomerInput { name: String! note: String }
type Query { customer(id: ID!): Customer customers(first: Int): [Customer!]! }
type Mutation { createCustomer(input: CustomerInput!): Customer }
`;

function version(hash: string, body: string, endpoints = 1): SchemaVersion {
  return { hash, typeDefs: sdl(`customers-${hash}`, body), endpoints };
}

/**
 * The common schema of the old version and the new one, checked to build as a subgraph:
 * the old one is the base (2 pods to 1) unless `newPods` says the rollout is further on.
 */
function rollout(newBody: string, { old = CUSTOMERS, newPods = 1 } = {}) {
  const versions = [version(OLD, old, 2), version(NEW, newBody, newPods)];
  const base = newPods > 2 ? versions[1]! : versions[0]!;
  const result = commonSchema(versions);
  buildSubgraph('customers', 'http://customers', result.typeDefs).validate();
  return { ...result, base, printed: print(result.typeDefs), details: result.differences.map((d) => d.detail) };
}

const coordinates = (result: { differences: readonly { element: { coordinate: string } }[] }) =>
  result.differences.map((d) => d.element.coordinate);

const WITH_PHONE = CUSTOMERS.replace('tier: Tier', 'tier: Tier phone: String');
const WITH_AFTER = CUSTOMERS.replace('customers(first: Int)', 'customers(first: Int, after: String)');

describe('commonSchema, one change at a time', () => {
  test('a field the new version adds is not served while the old version is the base', () => {
    const result = rollout(WITH_PHONE);
    expect(result.differences).toEqual([]);
    expect(result.typeDefs).toBe(result.base.typeDefs);
  });

  test('a field the new version adds is left out while the old version still serves', () => {
    const result = rollout(WITH_PHONE, { newPods: 3 });
    expect(result.differences).toEqual([
      { element: { kind: 'field', coordinate: 'Customer.phone' }, detail: 'field Customer.phone is unknown to 3f1c' },
    ]);
    expect(result.printed).not.toMatch(/phone/);
  });

  test('a field removed in the new version is left out', () => {
    const result = rollout(CUSTOMERS.replace('customers(first: Int): [Customer!]!', ''));
    expect(result.details).toEqual(['root field Query.customers is unknown to 9ab2']);
    expect(result.printed).not.toMatch(/customers\(/);
  });

  test('an optional argument added is left out of the field, which stays', () => {
    expect(rollout(WITH_AFTER).differences).toEqual([]);
    const further = rollout(WITH_AFTER, { newPods: 3 });
    expect(further.differences).toEqual([
      {
        element: { kind: 'argument', coordinate: 'Query.customers(after:)' },
        detail: 'argument after of root field Query.customers is unknown to 3f1c',
      },
    ]);
    expect(further.printed).toMatch(/customers\(first: Int\)/);
  });

  test('a required argument added takes the field along', () => {
    const result = rollout(
      CUSTOMERS.replace(
        'createCustomer(input: CustomerInput!)',
        'createCustomer(input: CustomerInput!, email: String!)',
      ),
    );
    expect(result.differences[0]).toEqual({
      element: { kind: 'field', coordinate: 'Mutation.createCustomer' },
      detail: 'argument email of root field Mutation.createCustomer is required in 9ab2 and unknown to 3f1c',
    });
    // Mutation has nothing left, so it goes too.
    expect(coordinates(result)).toEqual(['Mutation.createCustomer', 'Mutation']);
    expect(result.printed).not.toMatch(/Mutation/);
    // CustomerInput stays: nothing needs it, and every version declares it alike.
    expect(result.printed).toMatch(/input CustomerInput/);
  });

  test('an argument whose type changed goes when optional everywhere', () => {
    const result = rollout(CUSTOMERS.replace('customers(first: Int)', 'customers(first: Int = 10)'));
    expect(result.details).toEqual([
      'argument first of root field Query.customers has type Int in 3f1c and Int = 10 in 9ab2',
    ]);
    expect(result.printed).toMatch(/customers: \[Customer!\]!/);
  });

  test('an enum value added is not served; one removed is left out', () => {
    expect(rollout(CUSTOMERS.replace('FREE PRO', 'FREE PRO GOLD')).differences).toEqual([]);
    const removed = rollout(CUSTOMERS.replace('FREE PRO', 'FREE'));
    expect(removed.differences).toEqual([
      { element: { kind: 'enumValue', coordinate: 'Tier.PRO' }, detail: 'enum value Tier.PRO is unknown to 9ab2' },
    ]);
  });

  test('an optional input field added is no difference; one the base has and a version lacks goes', () => {
    expect(rollout(CUSTOMERS.replace('note: String', 'note: String vip: Boolean')).differences).toEqual([]);
    const removed = rollout(CUSTOMERS.replace('note: String', ''));
    expect(removed.differences).toEqual([
      {
        element: { kind: 'inputField', coordinate: 'CustomerInput.note' },
        detail: 'input field CustomerInput.note is unknown to 9ab2',
      },
    ]);
    expect(removed.printed).toMatch(/createCustomer\(input: CustomerInput!\)/);
  });

  test('a required input field added takes the input type, then the argument and field using it', () => {
    const result = rollout(CUSTOMERS.replace('note: String', 'note: String email: String!'));
    expect(result.differences).toEqual([
      {
        element: { kind: 'type', coordinate: 'CustomerInput' },
        detail: 'input field CustomerInput.email is required in 9ab2 and unknown to 3f1c',
      },
      {
        element: { kind: 'field', coordinate: 'Mutation.createCustomer' },
        detail:
          'root field Mutation.createCustomer takes the required argument input of type CustomerInput, which is left out',
      },
      {
        element: { kind: 'type', coordinate: 'Mutation' },
        detail: 'type Mutation has nothing left that every version has',
      },
    ]);
    expect(result.printed).not.toMatch(/CustomerInput|Mutation/);
  });

  test('a return type changed leaves the field out, and a type left out takes its fields along', () => {
    const changed = rollout(CUSTOMERS.replace('tier: Tier', 'tier: String'));
    expect(changed.details).toEqual(['field Customer.tier returns Tier in 3f1c and String in 9ab2']);
    const wrapped = rollout(CUSTOMERS.replace('customer(id: ID!): Customer', 'customer(id: ID!): Customer!'));
    expect(wrapped.details).toEqual(['root field Query.customer returns Customer in 3f1c and Customer! in 9ab2']);
    const kind = rollout(CUSTOMERS.replace('enum Tier { FREE PRO }', 'type Tier { level: Int }'));
    expect(kind.details).toEqual([
      'type Tier is an enum in 3f1c and an object type in 9ab2',
      'field Customer.tier returns type Tier, which is left out',
    ]);
  });

  test('federation directives are compared by spec name, aliases resolved', () => {
    const shared = CUSTOMERS.replace('name: String', 'name: String @shareable');
    expect(rollout(shared).details).toEqual([
      'field Customer.name returns String in 3f1c and String @shareable in 9ab2',
    ]);
    const renamed = shared.replace(/@shareable/, '@share');
    const link = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", { name: "@shareable", as: "@share" }])\n`;
    const result = commonSchema([
      version(OLD, shared, 2),
      { hash: NEW, typeDefs: parse(link + renamed), endpoints: 1 },
    ]);
    expect(result.differences).toEqual([]);
  });

  test('a @key not every version has goes; one whose fields are spelled otherwise stays', () => {
    const twoKeys = CUSTOMERS.replace('@key(fields: "id")', '@key(fields: "id") @key(fields: "name")');
    const result = rollout(CUSTOMERS.replace('@key(fields: "id")', '@key(fields: " id ")'), { old: twoKeys });
    expect(result.details).toEqual(['type Customer has no @key(fields: "name") in 9ab2']);
    expect(result.printed).toMatch(/@key\(fields: "id"\) \{/);
  });
});

describe('commonSchema, the whole', () => {
  test('one version, or identical ones, come back as the very document', () => {
    const only = version(OLD, CUSTOMERS);
    expect(commonSchema([only])).toEqual({ typeDefs: only.typeDefs, differences: [] });
    expect(commonSchema([only, { ...only, endpoints: 3 }]).typeDefs).toBe(only.typeDefs);
    const same = version(NEW, CUSTOMERS);
    expect(commonSchema([only, same]).typeDefs).toBe(only.typeDefs);
  });

  test('the base is the version most endpoints serve, ties to the smallest hash', () => {
    const withPhone = CUSTOMERS.replace('tier: Tier', 'tier: Tier phone: String');
    const detailsOf = (versions: SchemaVersion[]) => commonSchema(versions).differences.map((d) => d.detail);
    expect(detailsOf([version(OLD, CUSTOMERS, 1), version(NEW, withPhone, 3)])).toEqual([
      'field Customer.phone is unknown to 3f1c',
    ]);
    expect(detailsOf([version(OLD, withPhone, 2), version(NEW, CUSTOMERS, 2)])).toEqual([
      'field Customer.phone is unknown to 9ab2',
    ]);
  });

  test('the order of the versions does not matter', () => {
    const versions = [
      version(OLD, CUSTOMERS, 2),
      version(NEW, CUSTOMERS.replace('FREE PRO', 'FREE').replace('note: String', 'note: String email: String!'), 1),
      version('77aa00', CUSTOMERS.replace('tier: Tier', 'tier: String'), 1),
    ];
    const forward = commonSchema(versions);
    const backward = commonSchema([...versions].reverse());
    expect(print(backward.typeDefs)).toBe(print(forward.typeDefs));
    expect(backward.differences).toEqual(forward.differences);
    expect(forward.differences.map((d) => d.detail)).toContain(
      'field Customer.tier returns Tier in 3f1c, 9ab2 and String in 77aa',
    );
  });

  test('the result is plain data, and no version at all is misuse', () => {
    const result = commonSchema([version(OLD, CUSTOMERS), version(NEW, CUSTOMERS.replace('FREE PRO', 'FREE'))]);
    expect(structuredClone(result.differences)).toEqual(result.differences);
    expect(print(structuredClone(result.typeDefs))).toBe(print(result.typeDefs));
    expect(() => commonSchema([])).toThrow(/no version/);
  });

  test('an implementation that loses a field of its interface no longer implements it', () => {
    const body = `
      interface Node { id: ID! label: String }
      type Customer implements Node @key(fields: "id") { id: ID! label: String name: String }
      type Query { node(id: ID!): Node customer: Customer }
    `;
    const result = rollout(body.replace('label: String name', 'label: String! name'), { old: body });
    expect(result.details).toEqual([
      'field Customer.label returns String in 3f1c and String! in 9ab2',
      'type Customer implements Node, but Customer.label is left out',
    ]);
    expect(result.printed).toMatch(/interface Node \{\s+id: ID!\s+label: String\s+\}/);
  });

  test('a default naming an enum value left out takes the argument along', () => {
    const link = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@inaccessible"])\n`;
    const body = `enum Tier { FREE PRO } input Filter { tier: Tier note: String }
      type Query { customers(tier: Tier = PRO, filter: Filter = { tier: PRO }, first: Int): Int }`;
    const hidden = body.replace('FREE PRO }', 'FREE PRO @inaccessible }');
    const result = commonSchema([
      { hash: OLD, typeDefs: parse(link + body), endpoints: 2 },
      { hash: NEW, typeDefs: parse(link + hidden), endpoints: 1 },
    ]);
    expect(result.differences.map((d) => d.detail)).toEqual([
      'enum value Tier.PRO is declared without federation directives in 3f1c and @inaccessible in 9ab2',
      'argument tier of root field Query.customers defaults to PRO, which is left out',
      'argument filter of root field Query.customers defaults to {tier: PRO}, which is left out',
    ]);
    expect(print(result.typeDefs)).toMatch(/customers\(first: Int\): Int/);
  });

  test('an @external field that only a field left out used goes too', () => {
    const body = `type Customer @key(fields: "id") { id: ID! email: String @external contact: String @requires(fields: "email") }
      type Query { customer: Customer }`;
    const result = rollout(body.replace('contact:', 'contactLine:'), { old: body });
    expect(result.details).toEqual([
      'field Customer.contact is unknown to 9ab2',
      'field Customer.email is @external, and what used it is left out',
    ]);
  });
});
