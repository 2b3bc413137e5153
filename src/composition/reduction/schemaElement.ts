import type { SchemaElement } from './types.js';

/**
 * Constructors of the elements the reduction removes, so that every module spells a
 * coordinate the same way: the removal set, the applier and the error attribution meet
 * on these strings.
 */
export const element = {
  type: (type: string): SchemaElement => ({ kind: 'type', coordinate: type }),
  field: (type: string, field: string): SchemaElement => ({ kind: 'field', coordinate: `${type}.${field}` }),
  inputField: (type: string, field: string): SchemaElement => ({ kind: 'inputField', coordinate: `${type}.${field}` }),
  argument: (type: string, field: string, argument: string): SchemaElement => ({
    kind: 'argument',
    coordinate: `${type}.${field}(${argument}:)`,
  }),
  enumValue: (type: string, value: string): SchemaElement => ({ kind: 'enumValue', coordinate: `${type}.${value}` }),
  key: (type: string, fields: string): SchemaElement => ({
    kind: 'key',
    coordinate: `${type} @key(fields: ${JSON.stringify(fields)})`,
  }),
  /** A directive of a field: `provides`, `override` (by spec name, not the subgraph's alias). */
  directive: (type: string, field: string, directive: string): SchemaElement => ({
    kind: 'directive',
    coordinate: `${type}.${field} @${directive}`,
  }),
  implements: (type: string, iface: string): SchemaElement => ({
    kind: 'implements',
    coordinate: `${type} implements ${iface}`,
  }),
  unionMember: (union: string, member: string): SchemaElement => ({
    kind: 'unionMember',
    coordinate: `${union} | ${member}`,
  }),
};

/** The identity of an element within a subgraph, as a set key. */
export function elementKey(e: SchemaElement): string {
  return `${e.kind} ${e.coordinate}`;
}
