import { Supergraph } from '@apollo/federation-internals';
import {
  getNamedType,
  isAbstractType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  parse,
  validate,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

/**
 * Random valid operations for a GraphQL schema (the API schema a gateway serves at one
 * moment): queries and mutations with literal and variable arguments, enum values, input
 * objects, aliases, inline and named fragments on abstract types, `__typename`, nested
 * entity fields. Driven by a seeded generator, so a fast-check seed replays them.
 */

/** One request: document, variables, and the operation name when the document names one. */
export interface GeneratedOperation {
  readonly query: string;
  readonly variables: Record<string, unknown>;
  readonly operationName?: string;
}

export interface OperationOptions {
  /** Root fields never selected (those the gateway adds itself, e.g. `affordances`). */
  readonly skipRootFields?: ReadonlySet<string>;
  /** Deepest nesting of composite fields. Default 3. */
  readonly maxDepth?: number;
}

const apiSchemas = new Map<string, GraphQLSchema>();

/** The API schema of a supergraph, as ApolloGateway derives it; cached by SDL. */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  let schema = apiSchemas.get(supergraphSdl);
  if (!schema) {
    schema = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
    apiSchemas.set(supergraphSdl, schema);
  }
  return schema;
}

/** State of one document being generated. */
class Draft {
  readonly variables: { name: string; type: string; value: unknown }[] = [];
  readonly fragments: string[] = [];
  private aliases = 0;

  constructor(
    readonly schema: GraphQLSchema,
    readonly random: () => number,
    readonly maxDepth: number,
  ) {}

  chance = (p: number) => this.random() < p;
  int = (below: number) => Math.floor(this.random() * below);
  pick = <T>(items: readonly T[]): T | undefined => items[this.int(items.length)];
  alias = (field: string) => `${field}_${this.aliases++}`;

  /** A random non-empty subset of at most `max` items, in random order. */
  some<T>(items: readonly T[], max: number): T[] {
    const pool = [...items];
    const count = Math.min(pool.length, 1 + this.int(max));
    return Array.from({ length: count }, () => pool.splice(this.int(pool.length), 1)[0]!);
  }
}

/** A random input value for `type`, as a GraphQL literal and as the JSON a variable carries. */
function inputValue(draft: Draft, type: GraphQLInputType, nullable = true): { literal: string; json: unknown } {
  if (isNonNullType(type)) return inputValue(draft, type.ofType, false);
  if (nullable && draft.chance(0.08)) return { literal: 'null', json: null };
  if (isListType(type)) {
    const items = Array.from({ length: draft.int(3) }, () => inputValue(draft, type.ofType));
    return { literal: `[${items.map((i) => i.literal).join(', ')}]`, json: items.map((i) => i.json) };
  }
  if (isEnumType(type)) {
    const value = draft.pick(type.getValues())!.name;
    return { literal: value, json: value };
  }
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields()).filter((f) => isNonNullType(f.type) || draft.chance(0.5));
    const entries = fields.map((f) => [f.name, inputValue(draft, f.type)] as const);
    return {
      literal: `{ ${entries.map(([name, v]) => `${name}: ${v.literal}`).join(', ')} }`,
      json: Object.fromEntries(entries.map(([name, v]) => [name, v.json])),
    };
  }
  const n = draft.int(6);
  switch (type.name) {
    case 'Int':
      return { literal: String(n), json: n };
    case 'Float':
      return { literal: `${n}.5`, json: n + 0.5 };
    case 'Boolean':
      return { literal: String(n % 2 === 0), json: n % 2 === 0 };
    case 'ID':
      return { literal: `"${n % 4}"`, json: String(n % 4) };
    default:
      return { literal: `"t${n}"`, json: `t${n}` };
  }
}

/** `(a: 1, b: $v0)`: every required argument and some optional ones, some as variables. */
function argumentsOf(draft: Draft, field: GraphQLField<unknown, unknown>): string {
  const args = field.args.filter((arg) => isNonNullType(arg.type) || draft.chance(0.6));
  const printed = args.map((arg) => {
    const value = inputValue(draft, arg.type);
    if (!draft.chance(0.3)) return `${arg.name}: ${value.literal}`;
    const name = `v${draft.variables.length}`;
    draft.variables.push({ name, type: String(arg.type), value: value.json });
    return `${arg.name}: $${name}`;
  });
  return printed.length ? `(${printed.join(', ')})` : '';
}

/** One field selection, nested when its type is composite; undefined past the depth limit. */
function fieldSelection(draft: Draft, field: GraphQLField<unknown, unknown>, depth: number): string | undefined {
  const named = getNamedType(field.type);
  const nested = isCompositeType(named);
  if (nested && depth >= draft.maxDepth) return undefined;
  const alias = field.args.length > 0 || draft.chance(0.15) ? `${draft.alias(field.name)}: ` : '';
  const selection = nested ? ` ${selectionSet(draft, named, depth + 1)}` : '';
  return `${alias}${field.name}${argumentsOf(draft, field)}${selection}`;
}

/** `{ … }` for a composite type: fields, `__typename`, and fragments on abstract types. */
function selectionSet(draft: Draft, type: GraphQLCompositeType, depth: number): string {
  const parts: string[] = [];
  if (isObjectType(type) || isInterfaceType(type)) {
    const fields = Object.values(type.getFields()).filter((f) => !f.name.startsWith('_'));
    for (const field of draft.some(fields, 3)) {
      const selection = fieldSelection(draft, field, depth);
      if (selection) parts.push(selection);
    }
  }
  if (isAbstractType(type)) {
    for (const possible of draft.some(draft.schema.getPossibleTypes(type), 2)) {
      if (draft.chance(0.7)) parts.push(`... on ${possible.name} ${selectionSet(draft, possible, depth)}`);
    }
    if (isInterfaceType(type) && draft.chance(0.4)) {
      const name = `F${draft.fragments.length}`;
      draft.fragments.push(`fragment ${name} on ${type.name} { __typename ${leafNames(type).join(' ')} }`);
      parts.push(`...${name}`);
    }
  }
  if (parts.length === 0 || draft.chance(0.25)) parts.push('__typename');
  return `{ ${parts.join(' ')} }`;
}

/** Argument-free scalar fields of a type, for named fragments that cannot conflict. */
const leafNames = (type: GraphQLObjectType | GraphQLCompositeType) =>
  isObjectType(type) || isInterfaceType(type)
    ? Object.values(type.getFields())
        .filter((f) => f.args.length === 0 && !isCompositeType(getNamedType(f.type)) && !f.name.startsWith('_'))
        .map((f) => f.name)
    : [];

/** One candidate document; may be invalid (field conflicts), the caller validates. */
function draftOperation(schema: GraphQLSchema, random: () => number, options: OperationOptions): GeneratedOperation {
  const draft = new Draft(schema, random, options.maxDepth ?? 3);
  const usable = (root: GraphQLObjectType | null | undefined) =>
    root
      ? Object.values(root.getFields()).filter((f) => !f.name.startsWith('_') && !options.skipRootFields?.has(f.name))
      : [];
  const mutations = usable(schema.getMutationType());
  const mutation = mutations.length > 0 && draft.chance(0.2);
  const fields = mutation ? mutations : usable(schema.getQueryType());
  const parts = draft
    .some(fields, 3)
    .map((field) => fieldSelection(draft, field, 0))
    .filter((s): s is string => !!s);
  if (parts.length === 0 || draft.chance(0.1)) parts.push('__typename');
  const operationName = draft.chance(0.5) ? 'Op' : undefined;
  const variableDefs = draft.variables.map((v) => `$${v.name}: ${v.type}`).join(', ');
  const header = `${mutation ? 'mutation' : 'query'}${operationName ? ` ${operationName}` : ''}${variableDefs ? `(${variableDefs})` : ''}`;
  const query = [`${header} { ${parts.join(' ')} }`, ...draft.fragments].join('\n');
  const variables = Object.fromEntries(draft.variables.map((v) => [v.name, v.value]));
  return { query, variables, operationName };
}

/**
 * A random operation valid against `schema` (graphql-js `validate`); after 20 invalid
 * drafts, `{ __typename }`.
 */
export function generateOperation(
  schema: GraphQLSchema,
  random: () => number,
  options: OperationOptions = {},
): GeneratedOperation {
  for (let attempt = 0; attempt < 20; attempt++) {
    const operation = draftOperation(schema, random, options);
    if (validate(schema, parse(operation.query)).length === 0) return operation;
  }
  return { query: '{ __typename }', variables: {} };
}
