import {
  Kind,
  type ConstDirectiveNode,
  type DefinitionNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type InputValueDefinitionNode,
} from 'graphql';
import { federationNames, type FederationDirective } from './federationNames.js';
import { element, elementKey } from './schemaElement.js';
import type { SchemaElement } from './types.js';

/** Field directives removable on their own, by spec name. */
const REMOVABLE_FIELD_DIRECTIVES: readonly FederationDirective[] = ['provides', 'override'];

/**
 * The document without the removed elements (keys from `elementKey`): the mechanical half
 * of the reduction, which decides nothing. Extensions left with nothing in them go too,
 * since `extend type X` alone is not valid SDL; a type is removed only when the rules
 * removed it.
 */
export function withoutElements(document: DocumentNode, removed: ReadonlySet<string>): DocumentNode {
  if (removed.size === 0) return document;
  const names = federationNames(document);
  const gone = (e: SchemaElement) => removed.has(elementKey(e));
  const typeGone = (name: string) => gone(element.type(name));
  const definitions: DefinitionNode[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.SCHEMA_DEFINITION || definition.kind === Kind.SCHEMA_EXTENSION) {
      const operationTypes = definition.operationTypes?.filter((o) => !typeGone(o.type.name.value));
      if (definition.kind === Kind.SCHEMA_EXTENSION && !operationTypes?.length && !definition.directives?.length) {
        continue;
      }
      definitions.push({ ...definition, operationTypes } as DefinitionNode);
      continue;
    }
    if (!('name' in definition) || !definition.name || !isTypeDefinition(definition)) {
      definitions.push(definition);
      continue;
    }
    const type = definition.name.value;
    if (typeGone(type)) continue;
    const input =
      definition.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION || definition.kind === Kind.INPUT_OBJECT_TYPE_EXTENSION;
    const keyName = names.key;
    const directives = definition.directives?.filter(
      (d) => d.name.value !== keyName || !gone(element.key(type, fieldsArgument(d) ?? '')),
    );
    const fields = (definition.fields as readonly (FieldDefinitionNode | InputValueDefinitionNode)[] | undefined)
      ?.filter((f) => !gone(input ? element.inputField(type, f.name.value) : element.field(type, f.name.value)))
      .map((f) => (f.kind === Kind.FIELD_DEFINITION ? withoutFieldParts(type, f, gone, names) : f));
    const interfaces = definition.interfaces?.filter((i) => !gone(element.implements(type, i.name.value)));
    const types = definition.types?.filter((t) => !gone(element.unionMember(type, t.name.value)));
    const values = definition.values?.filter((v) => !gone(element.enumValue(type, v.name.value)));
    const reduced = { ...definition, directives, fields, interfaces, types, values };
    if (isExtension(definition) && ![directives, fields, interfaces, types, values].some((l) => l?.length)) continue;
    definitions.push(withoutUndefined(reduced) as DefinitionNode);
  }
  return { kind: Kind.DOCUMENT, definitions };
}

type TypeDefinition = DefinitionNode & {
  name: { value: string };
  directives?: readonly ConstDirectiveNode[];
  fields?: readonly unknown[];
  interfaces?: readonly { name: { value: string } }[];
  types?: readonly { name: { value: string } }[];
  values?: readonly { name: { value: string } }[];
};

function isTypeDefinition(definition: DefinitionNode): definition is TypeDefinition {
  return definition.kind.endsWith('TypeDefinition') || definition.kind.endsWith('TypeExtension');
}

function isExtension(definition: DefinitionNode): boolean {
  return definition.kind.endsWith('TypeExtension');
}

function withoutFieldParts(
  type: string,
  field: FieldDefinitionNode,
  gone: (e: SchemaElement) => boolean,
  names: Readonly<Record<FederationDirective, string>>,
): FieldDefinitionNode {
  const name = field.name.value;
  const removedDirectives = new Set(
    REMOVABLE_FIELD_DIRECTIVES.filter((d) => gone(element.directive(type, name, d))).map((d) => names[d]),
  );
  return {
    ...field,
    arguments: field.arguments?.filter((a) => !gone(element.argument(type, name, a.name.value))),
    directives: field.directives?.filter((d) => !removedDirectives.has(d.name.value)),
  };
}

function fieldsArgument(directive: ConstDirectiveNode): string | undefined {
  const value = directive.arguments?.find((a) => a.name.value === 'fields')?.value;
  return value?.kind === Kind.STRING ? value.value : undefined;
}

/** Spreading a node adds the list keys its kind does not have: they must stay absent. */
function withoutUndefined<T extends object>(node: T): T {
  return Object.fromEntries(Object.entries(node).filter(([, v]) => v !== undefined)) as T;
}
