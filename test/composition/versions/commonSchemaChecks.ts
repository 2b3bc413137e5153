import { buildSubgraph, errorCauses } from '@apollo/federation-internals';
import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  parse,
  print,
  validate,
  type DocumentNode,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';

/**
 * Checks of a common schema that do not trust it: they build the schemas with Apollo's
 * own tools and compare them through graphql-js. Each returns the problems found (empty
 * when the check holds).
 */

/** Federation's validation of a subgraph: its error messages. */
export function subgraphProblems(typeDefs: DocumentNode): string[] {
  try {
    buildSubgraph('versioned', 'http://versioned', typeDefs).validate();
    return [];
  } catch (error) {
    return (errorCauses(error as Error) ?? [error as Error]).map((e) => e.message);
  }
}

/**
 * (a) Every element of the common schema is in every version with the same signature:
 * types of the same kind, fields with the same type, arguments and federation directives,
 * input fields alike; enum values, union members and interfaces among the version's; and
 * nothing a version requires (argument, input field) is missing.
 */
export function signatureProblems(common: DocumentNode, versions: readonly DocumentNode[]): string[] {
  const result = buildSubgraphSchema(common);
  const problems: string[] = [];
  versions.forEach((typeDefs, v) => {
    const version = buildSubgraphSchema(typeDefs);
    for (const type of Object.values(result.getTypeMap())) {
      if (type.name.startsWith('_') || isScalarType(type)) continue;
      const other = version.getType(type.name);
      const where = `version ${v}: ${type.name}`;
      if (!other || other.constructor !== type.constructor) {
        problems.push(`${where} is missing or of another kind`);
        continue;
      }
      problems.push(...typeProblems(where, type, other));
    }
  });
  return problems;
}

function typeProblems(where: string, type: GraphQLNamedType, other: GraphQLNamedType): string[] {
  const problems: string[] = [];
  const names = (list: readonly { name: string }[]) => list.map((x) => x.name);
  const subset = (what: string, mine: string[], theirs: string[]) => {
    for (const x of mine) if (!theirs.includes(x)) problems.push(`${where}: ${what} ${x} is not in the version`);
  };
  if (isEnumType(type) && isEnumType(other)) subset('value', names(type.getValues()), names(other.getValues()));
  if (isUnionType(type) && isUnionType(other)) subset('member', names(type.getTypes()), names(other.getTypes()));
  if ((isObjectType(type) || isInterfaceType(type)) && (isObjectType(other) || isInterfaceType(other))) {
    subset('interface', names(type.getInterfaces()), names(other.getInterfaces()));
    subset('@key', keysOf(type), keysOf(other));
    const theirs = other.getFields();
    for (const field of Object.values(type.getFields())) {
      if (field.name.startsWith('_')) continue;
      const twin = theirs[field.name];
      if (!twin || fieldSignature(field) !== fieldSignature(twin)) {
        problems.push(`${where}.${field.name} is ${twin ? 'not alike' : 'missing'} in the version`);
        continue;
      }
      problems.push(...inputProblems(`${where}.${field.name}`, field.args, twin.args));
    }
  }
  if (isInputObjectType(type) && isInputObjectType(other)) {
    problems.push(...inputProblems(where, Object.values(type.getFields()), Object.values(other.getFields())));
  }
  return problems;
}

function inputProblems(
  where: string,
  mine: readonly (GraphQLArgument | GraphQLInputField)[],
  theirs: readonly (GraphQLArgument | GraphQLInputField)[],
): string[] {
  const problems: string[] = [];
  for (const input of mine) {
    const twin = theirs.find((t) => t.name === input.name);
    if (!twin || inputSignature(input) !== inputSignature(twin)) {
      problems.push(`${where}: ${input.name} is ${twin ? 'not alike' : 'missing'} in the version`);
    }
  }
  for (const input of theirs) {
    const required = isNonNullType(input.type) && input.defaultValue === undefined;
    if (required && !mine.some((m) => m.name === input.name)) {
      problems.push(`${where}: the version requires ${input.name}, which is missing`);
    }
  }
  return problems;
}

function fieldSignature(field: GraphQLField<unknown, unknown>): string {
  const directives = (field.astNode?.directives ?? []).map((d) => print(d)).sort();
  return [String(field.type), ...directives].join(' ');
}

function inputSignature(input: GraphQLArgument | GraphQLInputField): string {
  const defaultValue = input.astNode?.defaultValue;
  return `${String(input.type)}${defaultValue ? ` = ${print(defaultValue)}` : ''}`;
}

function keysOf(type: GraphQLNamedType): string[] {
  const nodes = [type.astNode, ...(type.extensionASTNodes ?? [])];
  return nodes.flatMap((n) => (n?.directives ?? []).filter((d) => d.name.value === 'key').map((d) => print(d)));
}

/**
 * (e) A query (and a mutation) calling every root field of the common schema with every
 * argument, selecting every field two levels down (fragments on each possible type, every
 * input field given), is valid against every version.
 */
export function operationProblems(common: DocumentNode, versions: readonly DocumentNode[]): string[] {
  const result = buildSubgraphSchema(common);
  const operations = [result.getQueryType(), result.getMutationType()].flatMap((root) => {
    if (!root) return [];
    const fields = Object.values(root.getFields()).filter((f) => !f.name.startsWith('_'));
    if (fields.length === 0) return [];
    const keyword = root === result.getMutationType() ? 'mutation' : 'query';
    return [parse(`${keyword} ${selection(result, root, 0)}`)];
  });
  const problems: string[] = [];
  for (const [name, schema] of [
    ['common', result] as const,
    ...versions.map((v, i) => [`version ${i}`, buildSubgraphSchema(v)] as const),
  ]) {
    for (const operation of operations) {
      for (const error of validate(schema, operation)) problems.push(`${name}: ${error.message}\n${print(operation)}`);
    }
  }
  return problems;
}

const MAX_DEPTH = 2;

function selection(schema: GraphQLSchema, type: GraphQLNamedType, depth: number): string {
  if (!(isObjectType(type) || isInterfaceType(type) || isUnionType(type))) return '';
  const parts = ['__typename'];
  if (depth < MAX_DEPTH && !isUnionType(type)) {
    for (const field of Object.values(type.getFields())) {
      if (field.name.startsWith('_')) continue;
      const args = field.args.map((a) => `${a.name}: ${literal(a.type)}`).join(', ');
      parts.push(
        `${type.name}_${field.name}: ${field.name}${args ? `(${args})` : ''} ${selectionOf(schema, field.type, depth)}`,
      );
    }
  }
  if (depth < MAX_DEPTH && !isObjectType(type)) {
    for (const possible of schema.getPossibleTypes(type))
      parts.push(`... on ${possible.name} ${selection(schema, possible, depth + 1)}`);
  }
  return `{ ${parts.join(' ')} }`;
}

function selectionOf(schema: GraphQLSchema, type: GraphQLOutputType, depth: number): string {
  return selection(schema, getNamedType(type), depth + 1);
}

function literal(type: GraphQLInputType): string {
  if (isNonNullType(type)) return literal(type.ofType);
  if (isListType(type)) return `[${literal(type.ofType)}]`;
  if (isEnumType(type)) return type.getValues()[0]?.name ?? 'null';
  if (isInputObjectType(type)) {
    return `{ ${Object.values(type.getFields())
      .map((f) => `${f.name}: ${literal(f.type)}`)
      .join(', ')} }`;
  }
  switch (type.name) {
    case 'Int':
      return '1';
    case 'Float':
      return '1.5';
    case 'Boolean':
      return 'true';
    default:
      return '"x"';
  }
}
