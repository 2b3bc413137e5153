import { composeServices } from '@apollo/composition';
import fc from 'fast-check';
import { parse } from 'graphql';

/**
 * Small federated graphs for the serving-core model test, as fast-check arbitraries.
 *
 * A graph is 2–4 subgraphs named `a`…`d`. Each subgraph has one or more versions (SDL
 * strings); version 0 is served first, the others are what an SDL-change step switches
 * to. The shapes exercise what makes composition non-trivial: entities resolved in
 * several subgraphs, `@shareable` fields whose arguments differ between subgraphs
 * (composition keeps the intersection), an input enum (`Color`, intersected) and an
 * output enum (`Status`, united) whose values differ, an input object (`Filter`) whose
 * fields differ, `@inaccessible` fields and values, `@override(from:)`, an interface, and
 * fields that `@requires` an `@external` field another subgraph owns (so some subsets of
 * the subgraphs compose only reduced, with the fields that need a subgraph left out).
 *
 * Every field name that only one subgraph defines is prefixed with the subgraph's name,
 * so only the deliberately shared fields can conflict.
 */

/** One subgraph and its SDL versions. */
export interface SubgraphVersions {
  readonly name: string;
  /** SDL per version; index 0 is served first. */
  readonly versions: readonly string[];
}

/** A federated graph: its subgraphs, each with its versions. */
export interface FederatedGraph {
  readonly label: string;
  readonly subgraphs: readonly SubgraphVersions[];
}

const ENTITIES = ['Product', 'User'] as const;
type Entity = (typeof ENTITIES)[number];

/** A subgraph as editable lists of SDL lines, rendered by `renderShape`. */
interface Shape {
  readonly name: string;
  readonly entities: Map<Entity, string[]>;
  readonly query: string[];
  readonly mutation: string[];
  readonly colors: string[];
  readonly statuses: string[];
  readonly filterFields: string[];
}

const IMPORTS = '["@key", "@shareable", "@inaccessible", "@override", "@external", "@requires"]';

/** The SDL of a shape: only the enums and inputs that some field uses are declared. */
function renderShape(shape: Shape): string {
  const body = [...shape.entities.values(), shape.query, shape.mutation].flat().join('\n');
  const lines = [`extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ${IMPORTS})`];
  if (shape.entities.size > 0) lines.push('interface Node {\n  id: ID!\n}');
  for (const [entity, fields] of shape.entities) {
    lines.push(`type ${entity} implements Node @key(fields: "id") {\n  id: ID!\n${indent(fields)}}`);
  }
  if (/\bColor\b/.test(body)) lines.push(`enum Color {\n${indent(shape.colors)}}`);
  if (/\bStatus\b/.test(body)) lines.push(`enum Status {\n${indent(shape.statuses)}}`);
  if (/\bFilter\b/.test(body)) lines.push(`input Filter {\n${indent(shape.filterFields)}}`);
  if (shape.query.length > 0) lines.push(`type Query {\n${indent(shape.query)}}`);
  if (shape.mutation.length > 0) lines.push(`type Mutation {\n${indent(shape.mutation)}}`);
  return lines.join('\n\n') + '\n';
}

const indent = (lines: readonly string[]) => lines.map((line) => `  ${line}\n`).join('');

const argList = (args: readonly string[]) => (args.length ? `(${args.join(', ')})` : '');

/** The random choices for one subgraph; `shapeOf` turns them into lines. */
const choicesArb = fc.record({
  entities: fc.subarray([...ENTITIES]),
  sharedName: fc.boolean(),
  rank: fc.boolean(),
  tags: fc.boolean(),
  status: fc.boolean(),
  cross: fc.boolean(),
  secret: fc.boolean(),
  score: fc.option(fc.subarray(['mode: Color', 'scale: Int', 'filter: Filter']), { nil: undefined }),
  override: fc.boolean(),
  requires: fc.boolean(),
  items: fc.option(fc.subarray(['color: Color', 'limit: Int', 'filter: Filter']), { nil: undefined }),
  node: fc.boolean(),
  echo: fc.boolean(),
  mutation: fc.boolean(),
  colors: fc.subarray(['GREEN', 'BLUE']),
  hiddenColor: fc.boolean(),
  statuses: fc.subarray(['RETIRED', 'PENDING']),
  filterFields: fc.subarray(['max: Int', 'tag: String']),
});
type Choices = typeof choicesArb extends fc.Arbitrary<infer T> ? T : never;

/** Who defines `price` of an entity: its first subgraph, and maybe a later one that overrides it. */
interface PriceOwners {
  readonly owner: string;
  readonly overrider?: string;
}

function shapeOf(name: string, choices: Choices, prices: ReadonlyMap<Entity, PriceOwners>): Shape {
  const entities = new Map<Entity, string[]>();
  for (const entity of ENTITIES.filter((e) => choices.entities.includes(e))) {
    const fields: string[] = [];
    const other: Entity = entity === 'Product' ? 'User' : 'Product';
    if (choices.sharedName) fields.push('name: String @shareable');
    if (choices.rank) fields.push(`${name}_rank: Int`);
    if (choices.tags) fields.push(`${name}_tags(limit: Int): [String!]!`);
    if (choices.status) fields.push(`${name}_status: Status`);
    if (choices.cross) fields.push(`${name}_${other.toLowerCase()}s: [${other}!]!`);
    if (choices.secret) fields.push(`${name}_secret: String @inaccessible`);
    if (choices.score) fields.push(`score${argList(choices.score)}: Int @shareable`);
    const price = prices.get(entity);
    if (price?.owner === name) fields.push('price: Int');
    else if (price?.overrider === name) fields.push(`price: Int @override(from: "${price.owner}")`);
    // Needs the owner's price: without the owner (and overrider), the rest composes only reduced.
    else if (price && choices.requires)
      fields.push('price: Int @external', `${name}_ship: Int @requires(fields: "price")`);
    if (fields.length === 0) fields.push(`${name}_rank: Int`);
    entities.set(entity, fields);
  }
  const query = [...entities.keys()].map((entity) => `${name}_${entity.toLowerCase()}s: [${entity}!]!`);
  if (choices.node && entities.size > 0) query.push(`${name}_node(id: ID!): Node`);
  if (choices.items) query.push(`items${argList(choices.items)}: [Int] @shareable`);
  if (choices.echo || query.length === 0) query.push(`${name}_echo(filter: Filter, color: Color): String`);
  const mutation = choices.mutation ? [`${name}_touch(id: ID!, color: Color): String`] : [];
  return {
    name,
    entities,
    query,
    mutation,
    colors: ['RED', ...choices.colors, ...(choices.hiddenColor ? ['GRAY @inaccessible'] : [])],
    statuses: ['ACTIVE', ...choices.statuses],
    filterFields: ['min: Int', ...choices.filterFields],
  };
}

/** One SDL change of a subgraph: a field added or removed, or an enum value added. */
const changeArb = fc.record({
  kind: fc.constantFrom('addField', 'removeField', 'addColor', 'addStatus'),
  pick: fc.nat(),
});
type Change = typeof changeArb extends fc.Arbitrary<infer T> ? T : never;

function applyChange(shape: Shape, change: Change, version: number): Shape {
  const entities = new Map([...shape.entities].map(([entity, fields]) => [entity, [...fields]]));
  const next: Shape = { ...shape, entities, query: [...shape.query], colors: [...shape.colors] };
  const lists = [next.query, ...entities.values()];
  const list = lists[change.pick % lists.length]!;
  switch (change.kind) {
    case 'addField':
      list.push(`${shape.name}_v${version}: Int`);
      break;
    case 'removeField': {
      // Only fields this subgraph alone defines; shared and key fields stay.
      const own = list.filter((line) => line.startsWith(`${shape.name}_`));
      const victim = own[change.pick % Math.max(1, own.length)];
      if (victim !== undefined && list.length > 1) list.splice(list.indexOf(victim), 1);
      else list.push(`${shape.name}_v${version}: Int`);
      break;
    }
    case 'addColor':
      next.colors.push(`C${shape.name.toUpperCase()}${version}`);
      break;
    case 'addStatus':
      return { ...next, statuses: [...shape.statuses, `S${shape.name.toUpperCase()}${version}`] };
  }
  return next;
}

/** True when these subgraph SDLs compose. */
export function composes(subgraphs: readonly { name: string; sdl: string }[]): boolean {
  const result = composeServices(
    subgraphs.map(({ name, sdl }) => ({ name, url: `http://${name}.invalid/graphql`, typeDefs: parse(sdl) })),
  );
  return !result.errors;
}

/**
 * Random graphs of 2–4 subgraphs, each with 0–2 changed versions, whose first versions
 * compose together (subsets need not: the gateway serves them reduced).
 */
export const graphArb: fc.Arbitrary<FederatedGraph> = fc
  .integer({ min: 2, max: 4 })
  .chain((count) =>
    fc.tuple(
      fc.array(choicesArb, { minLength: count, maxLength: count }),
      fc.array(fc.array(changeArb, { maxLength: 2 }), { minLength: count, maxLength: count }),
    ),
  )
  .map(([choices, changes]) => {
    const names = choices.map((_, i) => String.fromCharCode(97 + i));
    const prices = new Map<Entity, PriceOwners>();
    for (const entity of ENTITIES) {
      const having = names.filter((_, i) => choices[i]!.entities.includes(entity));
      const second = having[1];
      const overrider = second && choices[names.indexOf(second)]!.override ? second : undefined;
      if (having[0]) prices.set(entity, { owner: having[0], overrider });
    }
    const subgraphs = names.map((name, i) => {
      let shape = shapeOf(name, choices[i]!, prices);
      const versions = [renderShape(shape)];
      changes[i]!.forEach((change, k) => {
        shape = applyChange(shape, change, k + 1);
        versions.push(renderShape(shape));
      });
      return { name, versions };
    });
    return { label: `random ${names.length} subgraphs`, subgraphs };
  })
  .filter((graph) => composes(graph.subgraphs.map((s) => ({ name: s.name, sdl: s.versions[0]! }))));

/**
 * The known widening bug as a graph: with both subgraphs up `items` has no `limit` and
 * `Color` no `GREEN` (input positions intersect); once `b` goes down both appear.
 */
export const wideningGraph: FederatedGraph = {
  label: 'widening: items(limit:) and GREEN appear when b goes down',
  subgraphs: [
    {
      name: 'a',
      versions: [
        `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@shareable"])
enum Color { RED GREEN }
type Query { items(color: Color, limit: Int): [Int] @shareable }
`,
      ],
    },
    {
      name: 'b',
      versions: [
        `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@shareable"])
enum Color { RED }
type Query { items(color: Color): [Int] @shareable }
`,
      ],
    },
  ],
};
