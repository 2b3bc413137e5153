import { Kind, print, type ConstValueNode, type TypeNode } from 'graphql';
import { fieldSetCoordinates } from '../reduction/fieldSetCoordinates.js';
import { element } from '../reduction/schemaElement.js';
import type { SubgraphModel } from '../reduction/subgraphModel.js';
import type { VersionDifference } from './types.js';
import type { VersionSignatures } from './versionSignatures.js';

/**
 * What the base version, without what is left out so far (`current`), can no longer keep
 * and stay a valid subgraph, where the reduction's static rules do not look (they work
 * on what is down, where the rest of a subgraph is never taken apart like this):
 * - `T implements I` goes when T lost a field of I, or an argument of one, or no longer
 *   implements an interface I implements;
 * - an @external field that only what is left out used (in a @key, @requires or
 *   @provides) goes: federation rejects an unused @external;
 * - an argument or input field whose default names an enum value or input field left out
 *   goes (it has a default, so no request needs to give it).
 */
export function validityDecisions(
  base: SubgraphModel,
  current: SubgraphModel,
  signatures: VersionSignatures,
): VersionDifference[] {
  const decisions: VersionDifference[] = [];
  const mentionedBefore = mentionedFields(base);
  const mentionedNow = mentionedFields(current);
  for (const [name, type] of current.types) {
    const fieldWord = signatures.roots.has(name) ? 'root field' : 'field';
    const signature = signatures.types.get(name);
    for (const iface of type.interfaces) {
      const missing = missingForInterface(current, name, iface);
      if (missing) decisions.push({ element: element.implements(name, iface), detail: missing });
    }
    for (const field of type.fields) {
      const coordinate = `${name}.${field.name}`;
      if (field.external && mentionedBefore.has(coordinate) && !mentionedNow.has(coordinate)) {
        const detail = `${fieldWord} ${coordinate} is @external, and what used it is left out`;
        decisions.push({ element: element.field(name, field.name), detail });
      }
      for (const arg of field.args) {
        const input = signature?.fields.get(field.name)?.args.get(arg.name);
        if (!input?.defaultValue || fits(input.defaultValue, input.type, current, signatures)) continue;
        const detail = `argument ${arg.name} of ${fieldWord} ${coordinate} defaults to ${print(input.defaultValue)}, which is left out`;
        decisions.push({ element: element.argument(name, field.name, arg.name), detail });
      }
    }
    for (const inputField of type.inputFields) {
      const input = signature?.inputFields.get(inputField.name);
      if (!input?.defaultValue || fits(input.defaultValue, input.type, current, signatures)) continue;
      const detail = `input field ${name}.${inputField.name} defaults to ${print(input.defaultValue)}, which is left out`;
      decisions.push({ element: element.inputField(name, inputField.name), detail });
    }
  }
  return decisions;
}

/** Why `type` cannot implement `iface` any longer, if it cannot. */
function missingForInterface(current: SubgraphModel, type: string, iface: string): string | undefined {
  const implementer = current.types.get(type)!;
  const required = current.types.get(iface);
  if (!required) return undefined; // gone: the static rules take the clause
  for (const field of required.fields) {
    const own = implementer.fields.find((f) => f.name === field.name);
    if (!own) return `type ${type} implements ${iface}, but ${type}.${field.name} is left out`;
    const arg = field.args.find((a) => !own.args.some((o) => o.name === a.name));
    if (arg) return `type ${type} implements ${iface}, but argument ${arg.name} of ${type}.${field.name} is left out`;
  }
  const inherited = required.interfaces.find((i) => !implementer.interfaces.includes(i));
  if (inherited)
    return `type ${type} implements ${iface}, which implements ${inherited}, and ${type} implements ${inherited} is left out`;
  return undefined;
}

/** The fields the @key, @requires and @provides field sets of a subgraph mention. */
function mentionedFields(model: SubgraphModel): Set<string> {
  const mentioned = new Set<string>();
  const add = (type: string, fields: string | undefined) => {
    if (fields !== undefined) for (const c of fieldSetCoordinates(model, type, fields)) mentioned.add(c);
  };
  for (const [name, type] of model.types) {
    for (const key of type.keys) add(name, key);
    for (const field of type.fields) {
      add(name, field.requires);
      add(field.type, field.provides);
    }
  }
  return mentioned;
}

/** Whether a default value names only enum values and input fields still there. */
function fits(value: ConstValueNode, type: TypeNode, current: SubgraphModel, signatures: VersionSignatures): boolean {
  if (value.kind === Kind.NULL) return true;
  if (type.kind === Kind.NON_NULL_TYPE) return fits(value, type.type, current, signatures);
  if (type.kind === Kind.LIST_TYPE) {
    const items = value.kind === Kind.LIST ? value.values : [value];
    return items.every((item) => fits(item, type.type, current, signatures));
  }
  const named = current.types.get(type.name.value);
  if (named?.kind === 'enum') return value.kind !== Kind.ENUM || named.values.includes(value.value);
  if (named?.kind !== 'input' || value.kind !== Kind.OBJECT) return true;
  const inputs = signatures.types.get(type.name.value)?.inputFields;
  return value.fields.every((f) => {
    const input = inputs?.get(f.name.value);
    return (
      input !== undefined &&
      named.inputFields.some((i) => i.name === f.name.value) &&
      fits(f.value, input.type, current, signatures)
    );
  });
}
