import { Kind, parseType, print, type TypeNode } from 'graphql';
import type { OperationArgumentJson } from './affordancesJson.js';
import { ClientError } from './clientError.js';
import { ExitCode } from './exitCodes.js';
import type { FlagValue } from './operationFlags.js';

/** What the client knows of a named type that is not a built-in scalar (from introspection). */
export type NamedTypeInfo =
  | { readonly kind: 'ENUM'; readonly values: readonly string[] }
  | { readonly kind: 'INPUT_OBJECT' | 'SCALAR' | 'OTHER' };

/** Looks up the named types the arguments use; types it cannot find are taken as custom scalars. */
export type TypeLookup = (names: readonly string[]) => Promise<ReadonlyMap<string, NamedTypeInfo>>;

export interface OperationSignature {
  readonly name: string;
  readonly arguments: readonly OperationArgumentJson[];
}

const BUILT_IN = new Set(['Int', 'Float', 'String', 'Boolean', 'ID']);
const INT = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const TRUE = new Set(['true', 'yes', '1']);
const FALSE = new Set(['false', 'no', '0']);

/**
 * Turns flag strings into the operation's variables, typed by its arguments: Int, Float,
 * Boolean, ID/String, enums (checked against the schema's values), lists (repeat the flag
 * or give a JSON array), input objects and custom scalars (JSON, else the text). Every
 * problem is reported at once, with the operation's usage.
 */
export async function coerceArguments(
  operation: OperationSignature,
  flags: ReadonlyMap<string, readonly FlagValue[]>,
  lookup: TypeLookup,
): Promise<Record<string, unknown>> {
  const problems: string[] = [];
  const byName = new Map(operation.arguments.map((arg) => [arg.name, arg]));
  for (const name of flags.keys()) {
    if (byName.has(name)) continue;
    const near = operation.arguments.find((arg) => arg.name.toLowerCase() === name.toLowerCase());
    problems.push(
      `unknown argument --${name}` +
        (near
          ? `; did you mean --${near.name}?`
          : operation.arguments.length
            ? `; ${operation.name} takes ${operation.arguments.map((a) => `--${a.name}`).join(', ')}`
            : `; ${operation.name} takes no arguments`),
    );
  }
  for (const arg of operation.arguments) {
    if (!flags.has(arg.name) && arg.type.endsWith('!') && arg.defaultValue == null) {
      problems.push(`missing required argument --${arg.name} (${arg.type})`);
    }
  }
  const given = operation.arguments.filter((arg) => flags.has(arg.name));
  const types = given.map((arg) => ({ arg, type: parseType(arg.type) }));
  const custom = [...new Set(types.map(({ type }) => namedTypeOf(type)).filter((name) => !BUILT_IN.has(name)))];
  const info = custom.length ? await lookup(custom) : new Map<string, NamedTypeInfo>();

  const variables: Record<string, unknown> = {};
  for (const { arg, type } of types) {
    try {
      variables[arg.name] = coerceFlag(`--${arg.name}`, flags.get(arg.name)!, type, info);
    } catch (error) {
      if (!(error instanceof ArgumentProblem)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length) {
    throw new ClientError(`${problems.join('\n')}\nusage: ${usageOf(operation)}`, ExitCode.USAGE, 'BAD_USER_INPUT', {
      operation: operation.name,
      problems,
    });
  }
  return variables;
}

/** `call createInvoice --customerId <ID!> --amount <Float!> [--currency <String> = "EUR"]`. */
export function usageOf(operation: OperationSignature): string {
  const args = operation.arguments.map((arg) => {
    const flag = `--${arg.name} <${arg.type}>`;
    const required = arg.type.endsWith('!') && arg.defaultValue == null;
    return required ? flag : `[${flag}${arg.defaultValue != null ? ` = ${arg.defaultValue}` : ''}]`;
  });
  return ['affordance-gateway client call', operation.name, ...args].join(' ');
}

/** One or more problems with one flag (a list collects those of all its items). */
class ArgumentProblem extends Error {
  readonly problems: readonly string[];
  constructor(...problems: string[]) {
    super(problems.join('\n'));
    this.problems = problems;
  }
}

/** Coerces every item, reporting the problems of all of them rather than the first. */
function coerceAll(items: readonly unknown[], coerce: (item: unknown, i: number) => unknown): unknown[] {
  const problems: string[] = [];
  const values = items.map((item, i) => {
    try {
      return coerce(item, i);
    } catch (error) {
      if (!(error instanceof ArgumentProblem)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  });
  if (problems.length) throw new ArgumentProblem(...problems);
  return values;
}

function namedTypeOf(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedTypeOf(type.type);
}

function coerceFlag(
  flag: string,
  values: readonly FlagValue[],
  type: TypeNode,
  info: ReadonlyMap<string, NamedTypeInfo>,
): unknown {
  const inner = type.kind === Kind.NON_NULL_TYPE ? type.type : type;
  if (inner.kind === Kind.LIST_TYPE) {
    const [first] = values;
    const items =
      values.length === 1 && typeof first === 'string' && first.trimStart().startsWith('[')
        ? jsonArray(flag, first)
        : values;
    return coerceAll(items, (item, i) => coerceItem(`${flag}[${i}]`, item, inner.type, info));
  }
  if (values.length > 1) {
    throw new ArgumentProblem(`${flag} was given ${values.length} times, but it takes one value (${print(type)})`);
  }
  return coerceItem(flag, values[0]!, inner, info);
}

/** One value for a (possibly non-null or nested list) type; JSON array items arrive as parsed values. */
function coerceItem(label: string, value: unknown, type: TypeNode, info: ReadonlyMap<string, NamedTypeInfo>): unknown {
  if (type.kind === Kind.NON_NULL_TYPE) {
    if (value === null) throw new ArgumentProblem(`${label} must not be null (${print(type)})`);
    return coerceItem(label, value, type.type, info);
  }
  if (value === null) return null;
  if (type.kind === Kind.LIST_TYPE) {
    if (!Array.isArray(value)) throw new ArgumentProblem(`${label} expects a list (${print(type)}), as a JSON array`);
    return coerceAll(value, (item, i) => coerceItem(`${label}[${i}]`, item, type.type, info));
  }
  return coerceNamed(label, value, type.name.value, info.get(type.name.value));
}

function coerceNamed(label: string, value: unknown, typeName: string, info: NamedTypeInfo | undefined): unknown {
  if (typeName === 'Boolean') {
    if (typeof value === 'boolean') return value;
    const text = String(value).toLowerCase();
    if (TRUE.has(text)) return true;
    if (FALSE.has(text)) return false;
    throw new ArgumentProblem(`${label} expects a Boolean (true or false), got "${String(value)}"`);
  }
  if (typeof value === 'boolean') {
    throw new ArgumentProblem(`${label} needs a value (${typeName}): give it as ${label} VALUE`);
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  switch (typeName) {
    case 'Int': {
      const n = Number(text);
      if (!INT.test(text.trim()) || n < -2147483648 || n > 2147483647) {
        throw new ArgumentProblem(`${label} expects an Int (a whole number, 32-bit), got "${text}"`);
      }
      return n;
    }
    case 'Float':
      if (!FLOAT.test(text.trim())) throw new ArgumentProblem(`${label} expects a Float (a number), got "${text}"`);
      return Number(text);
    case 'String':
    case 'ID':
      return text;
  }
  if (info?.kind === 'ENUM') {
    if (info.values.includes(text)) return text;
    throw new ArgumentProblem(`${label} expects one of ${info.values.join(', ')} (${typeName}), got "${text}"`);
  }
  if (info?.kind === 'INPUT_OBJECT') {
    const object = typeof value === 'string' ? parseJson(value) : value;
    if (typeof object !== 'object' || object === null || Array.isArray(object)) {
      throw new ArgumentProblem(`${label} expects a ${typeName} as a JSON object, e.g. ${label} '{"field": 1}'`);
    }
    return object;
  }
  // A custom scalar: JSON when it parses (numbers, objects), else the text itself.
  return typeof value === 'string' ? (parseJson(value) ?? value) : value;
}

function jsonArray(flag: string, text: string): unknown[] {
  const value = parseJson(text);
  if (!Array.isArray(value))
    throw new ArgumentProblem(`${flag} looks like a JSON array but is not valid JSON: ${text}`);
  return value;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
