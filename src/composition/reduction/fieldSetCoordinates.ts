import { Kind, parse, type SelectionSetNode } from 'graphql';
import type { SubgraphModel } from './subgraphModel.js';

/**
 * The field coordinates a field set (`@key`, `@requires`, `@provides` `fields:`) mentions,
 * nested selections included, resolved through the subgraph's types starting at `type`.
 * A mentioned field the subgraph does not have is still listed (that is what the rules
 * look for); below it nothing can be resolved. An unparsable field set mentions nothing:
 * subgraph validation reports it.
 */
export function fieldSetCoordinates(model: SubgraphModel, type: string, fields: string): string[] {
  let selectionSet: SelectionSetNode;
  try {
    const document = parse(`{${fields}}`, { noLocation: true });
    const operation = document.definitions[0];
    if (operation?.kind !== Kind.OPERATION_DEFINITION) return [];
    selectionSet = operation.selectionSet;
  } catch {
    return [];
  }
  const coordinates: string[] = [];
  collect(model, type, selectionSet, coordinates);
  return coordinates;
}

function collect(model: SubgraphModel, type: string, selectionSet: SelectionSetNode, into: string[]): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value === '__typename') continue;
      into.push(`${type}.${selection.name.value}`);
      const field = model.types.get(type)?.fields.find((f) => f.name === selection.name.value);
      if (selection.selectionSet && field) collect(model, field.type, selection.selectionSet, into);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const condition = selection.typeCondition?.name.value ?? type;
      if (condition !== type) into.push(condition);
      collect(model, condition, selection.selectionSet, into);
    }
  }
}
