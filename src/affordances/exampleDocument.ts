import { getNamedType, isLeafType, isObjectType, isInterfaceType, type GraphQLField } from 'graphql';
import type { OperationKind } from './types.js';

const MAX_FIELDS = 12;

/**
 * A runnable document for one root field: every argument becomes a variable, and the
 * selection takes the leaf fields of the return type that need no arguments. Written as
 * graphql-js prints documents, without parsing and printing one (affordances list every
 * operation on every change; that took most of their time with a hundred subgraphs).
 */
export function exampleDocument(
  kind: OperationKind,
  field: GraphQLField<unknown, unknown>,
  /** Which fields of the return type may be selected (a caller's view); default all. */
  selectable?: (type: string, field: string, fieldType: string) => boolean,
): string {
  const variables = field.args.map((arg) => `$${arg.name}: ${String(arg.type)}`);
  const args = field.args.map((arg) => `${arg.name}: $${arg.name}`);
  const operationName = field.name.charAt(0).toUpperCase() + field.name.slice(1);
  const header = `${kind === 'QUERY' ? 'query' : 'mutation'} ${operationName}${variables.length ? `(${variables.join(', ')})` : ''}`;
  const call = `${field.name}${args.length ? `(${args.join(', ')})` : ''}`;
  const selection = selectionOf(field, selectable);
  const body = selection.length ? ` {\n${selection.map((name) => `    ${name}`).join('\n')}\n  }` : '';
  return `${header} {\n  ${call}${body}\n}`;
}

/** The fields selected under the root field; none for a leaf. */
function selectionOf(
  field: GraphQLField<unknown, unknown>,
  selectable: ((type: string, field: string, fieldType: string) => boolean) | undefined,
): string[] {
  const type = getNamedType(field.type);
  if (isLeafType(type)) return [];
  if (!isObjectType(type) && !isInterfaceType(type)) return ['__typename'];
  const leaves = Object.values(type.getFields())
    .filter(
      (f) =>
        isLeafType(getNamedType(f.type)) &&
        (selectable?.(type.name, f.name, getNamedType(f.type).name) ?? true) &&
        f.args.every((a) => a.defaultValue !== undefined || !String(a.type).endsWith('!')),
    )
    .slice(0, MAX_FIELDS)
    .map((f) => f.name);
  return leaves.length ? leaves : ['__typename'];
}
