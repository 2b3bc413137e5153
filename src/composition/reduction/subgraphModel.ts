import {
  Kind,
  type ConstDirectiveNode,
  type DefinitionNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type InputValueDefinitionNode,
  type TypeNode,
} from 'graphql';
import { federationNames, type FederationNames } from './federationNames.js';
import { element, elementKey } from './schemaElement.js';

/** An argument or input field: its named type and whether it must be given. */
export interface InputModel {
  readonly name: string;
  readonly type: string;
  readonly nonNull: boolean;
}

/** A field of an object or interface type, with the federation directives it carries. */
export interface FieldModel {
  readonly name: string;
  /** The named type it returns. */
  readonly type: string;
  readonly args: readonly InputModel[];
  readonly external: boolean;
  readonly requires: string | undefined;
  readonly provides: string | undefined;
  readonly overrideFrom: string | undefined;
}

export type TypeKind = 'object' | 'interface' | 'input' | 'union' | 'enum' | 'scalar';

/** A type of one subgraph, its definition and extensions merged. */
export interface TypeModel {
  readonly name: string;
  readonly kind: TypeKind;
  readonly fields: readonly FieldModel[];
  readonly inputFields: readonly InputModel[];
  readonly keys: readonly string[];
  readonly interfaceObject: boolean;
  readonly interfaces: readonly string[];
  readonly members: readonly string[];
  readonly values: readonly string[];
}

/** What the static rules read of a subgraph: its types, by name. */
export interface SubgraphModel {
  readonly name: string;
  readonly types: ReadonlyMap<string, TypeModel>;
}

/** Reads a subgraph's SDL into the model the static rules work on. */
export function subgraphModel(name: string, document: DocumentNode): SubgraphModel {
  const names = federationNames(document);
  const types = new Map<string, TypeModel>();
  for (const definition of document.definitions) {
    const part = typePart(definition, names);
    if (!part) continue;
    const known = types.get(part.name);
    types.set(part.name, known ? merge(known, part) : part);
  }
  return { name, types };
}

/**
 * The model without the removed elements (keys from `elementKey`). Types emptied stay,
 * with nothing in them, so that the rules see them emptied and record their removal.
 */
export function withoutRemoved(model: SubgraphModel, removed: ReadonlySet<string>): SubgraphModel {
  if (removed.size === 0) return model;
  const types = new Map<string, TypeModel>();
  const gone = (e: Parameters<typeof elementKey>[0]) => removed.has(elementKey(e));
  for (const [name, type] of model.types) {
    if (gone(element.type(name))) continue;
    types.set(name, {
      ...type,
      fields: type.fields
        .filter((f) => !gone(element.field(name, f.name)))
        .map((f) => ({
          ...f,
          args: f.args.filter((a) => !gone(element.argument(name, f.name, a.name))),
          provides: gone(element.directive(name, f.name, 'provides')) ? undefined : f.provides,
          overrideFrom: gone(element.directive(name, f.name, 'override')) ? undefined : f.overrideFrom,
        })),
      inputFields: type.inputFields.filter((f) => !gone(element.inputField(name, f.name))),
      keys: type.keys.filter((k) => !gone(element.key(name, k))),
      interfaces: type.interfaces.filter((i) => !gone(element.implements(name, i))),
      members: type.members.filter((m) => !gone(element.unionMember(name, m))),
      values: type.values.filter((v) => !gone(element.enumValue(name, v))),
    });
  }
  return { name: model.name, types };
}

/** The kind of type each definition or extension declares. */
export const TYPE_KINDS: Partial<Record<Kind, TypeKind>> = {
  [Kind.OBJECT_TYPE_DEFINITION]: 'object',
  [Kind.OBJECT_TYPE_EXTENSION]: 'object',
  [Kind.INTERFACE_TYPE_DEFINITION]: 'interface',
  [Kind.INTERFACE_TYPE_EXTENSION]: 'interface',
  [Kind.INPUT_OBJECT_TYPE_DEFINITION]: 'input',
  [Kind.INPUT_OBJECT_TYPE_EXTENSION]: 'input',
  [Kind.UNION_TYPE_DEFINITION]: 'union',
  [Kind.UNION_TYPE_EXTENSION]: 'union',
  [Kind.ENUM_TYPE_DEFINITION]: 'enum',
  [Kind.ENUM_TYPE_EXTENSION]: 'enum',
  [Kind.SCALAR_TYPE_DEFINITION]: 'scalar',
  [Kind.SCALAR_TYPE_EXTENSION]: 'scalar',
};

function typePart(definition: DefinitionNode, names: FederationNames): TypeModel | undefined {
  const kind = TYPE_KINDS[definition.kind];
  if (!kind || !('name' in definition) || !definition.name) return undefined;
  const d = definition as DefinitionNode & {
    name: { value: string };
    directives?: readonly ConstDirectiveNode[];
    fields?: readonly (FieldDefinitionNode | InputValueDefinitionNode)[];
    interfaces?: readonly { name: { value: string } }[];
    types?: readonly { name: { value: string } }[];
    values?: readonly { name: { value: string } }[];
  };
  const directives = d.directives ?? [];
  const typeExternal = directives.some((x) => x.name.value === names.external);
  const fields: FieldModel[] = [];
  const inputFields: InputModel[] = [];
  for (const field of d.fields ?? []) {
    if (field.kind === Kind.INPUT_VALUE_DEFINITION) inputFields.push(inputModel(field));
    else fields.push(fieldModel(field, names, typeExternal));
  }
  return {
    name: d.name.value,
    kind,
    fields,
    inputFields,
    keys: directives.filter((x) => x.name.value === names.key).flatMap((x) => stringArgument(x, 'fields') ?? []),
    interfaceObject: directives.some((x) => x.name.value === names.interfaceObject),
    interfaces: (d.interfaces ?? []).map((i) => i.name.value),
    members: (d.types ?? []).map((t) => t.name.value),
    values: (d.values ?? []).map((v) => v.name.value),
  };
}

function fieldModel(field: FieldDefinitionNode, names: FederationNames, typeExternal: boolean): FieldModel {
  const directive = (name: string) => field.directives?.find((x) => x.name.value === name);
  const requires = directive(names.requires);
  const provides = directive(names.provides);
  const override = directive(names.override);
  return {
    name: field.name.value,
    type: namedType(field.type),
    args: (field.arguments ?? []).map(inputModel),
    external: typeExternal || directive(names.external) !== undefined,
    requires: requires && stringArgument(requires, 'fields'),
    provides: provides && stringArgument(provides, 'fields'),
    overrideFrom: override && stringArgument(override, 'from'),
  };
}

function inputModel(input: InputValueDefinitionNode): InputModel {
  return { name: input.name.value, type: namedType(input.type), nonNull: input.type.kind === Kind.NON_NULL_TYPE };
}

function namedType(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);
}

function stringArgument(directive: ConstDirectiveNode, name: string): string | undefined {
  const value = directive.arguments?.find((a) => a.name.value === name)?.value;
  return value?.kind === Kind.STRING ? value.value : undefined;
}

function merge(a: TypeModel, b: TypeModel): TypeModel {
  return {
    ...a,
    fields: [...a.fields, ...b.fields],
    inputFields: [...a.inputFields, ...b.inputFields],
    keys: [...a.keys, ...b.keys],
    interfaceObject: a.interfaceObject || b.interfaceObject,
    interfaces: [...a.interfaces, ...b.interfaces],
    members: [...a.members, ...b.members],
    values: [...a.values, ...b.values],
  };
}
