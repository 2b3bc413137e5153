import {
  Kind,
  parse,
  print,
  type ConstDirectiveNode,
  type ConstValueNode,
  type DefinitionNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type InputValueDefinitionNode,
  type TypeNode,
} from 'graphql';
import { ROOT_TYPE_NAMES } from '../fieldCatalog.js';
import { federationSpecName } from '../reduction/federationNames.js';
import { TYPE_KINDS, type TypeKind } from '../reduction/subgraphModel.js';

/** An argument or input field: its printed signature (type, default, federation directives). */
export interface InputSignature {
  readonly signature: string;
  /** The named type it takes. */
  readonly namedType: string;
  /** Non-null without a default: a request must give it. */
  readonly required: boolean;
  readonly type: TypeNode;
  readonly defaultValue: ConstValueNode | undefined;
}

/** A field of an object or interface: its printed return type and federation directives. */
export interface FieldSignature {
  readonly signature: string;
  readonly args: ReadonlyMap<string, InputSignature>;
}

/** A type with its definition and extensions merged, every part by its signature. */
export interface TypeSignature {
  readonly kind: TypeKind;
  /** The kind and the type's own federation directives (@key, @shareable, @external aside). */
  readonly signature: string;
  readonly fields: ReadonlyMap<string, FieldSignature>;
  readonly inputFields: ReadonlyMap<string, InputSignature>;
  /** Enum values, each with its printed federation directives. */
  readonly values: ReadonlyMap<string, string>;
  readonly members: ReadonlySet<string>;
  readonly interfaces: ReadonlySet<string>;
  /** @key field sets: normalized → as the document spells it. */
  readonly keys: ReadonlyMap<string, string>;
}

/** What the versions of a subgraph are compared on. */
export interface VersionSignatures {
  readonly types: ReadonlyMap<string, TypeSignature>;
  /** The names of the root operation types. */
  readonly roots: ReadonlySet<string>;
}

/** Directives of a type that stand for its fields' (in that definition or extension), or for the type being one. */
const FIELD_LEVEL_ON_TYPES: ReadonlySet<string> = new Set(['shareable', 'external']);
const NOT_IN_TYPE_SIGNATURE: ReadonlySet<string> = new Set(['key', 'extends', ...FIELD_LEVEL_ON_TYPES]);

interface TypeBuilder {
  readonly kind: TypeKind;
  readonly directives: Set<string>;
  readonly fields: Map<string, FieldSignature>;
  readonly inputFields: Map<string, InputSignature>;
  readonly values: Map<string, string>;
  readonly members: Set<string>;
  readonly interfaces: Set<string>;
  readonly keys: Map<string, string>;
}

/**
 * Reads a version's SDL into the signatures the versions are compared on: definitions and
 * `extend` parts merged per type, federation directives by their spec names (aliases
 * resolved) and field sets normalized, so that spelling alone never makes a difference.
 */
export function versionSignatures(document: DocumentNode): VersionSignatures {
  const specName = federationSpecName(document);
  const directivesOf = (directives: readonly ConstDirectiveNode[] | undefined, skip?: ReadonlySet<string>) =>
    federationDirectives(directives, specName, skip);
  const builders = new Map<string, TypeBuilder>();
  const roots = new Set<string>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.SCHEMA_DEFINITION || definition.kind === Kind.SCHEMA_EXTENSION) {
      for (const o of definition.operationTypes ?? []) roots.add(o.type.name.value);
      continue;
    }
    const kind = TYPE_KINDS[definition.kind];
    if (!kind || !('name' in definition) || !definition.name) continue;
    const part = definition as TypePart;
    const name = part.name.value;
    const type = builders.get(name) ?? newBuilder(kind);
    builders.set(name, type);
    const own = part.directives ?? [];
    for (const d of directivesOf(own, NOT_IN_TYPE_SIGNATURE)) type.directives.add(d);
    for (const d of own) if (specName(d.name.value) === 'key') addKey(type.keys, d);
    const inherited = own.filter((d) => FIELD_LEVEL_ON_TYPES.has(specName(d.name.value) ?? ''));
    for (const field of part.fields ?? []) {
      if (field.kind === Kind.INPUT_VALUE_DEFINITION) {
        type.inputFields.set(field.name.value, inputSignature(field, directivesOf(field.directives)));
        continue;
      }
      const directives = [...new Set(directivesOf([...inherited, ...(field.directives ?? [])]))].sort();
      const args = new Map<string, InputSignature>();
      for (const arg of field.arguments ?? [])
        args.set(arg.name.value, inputSignature(arg, directivesOf(arg.directives)));
      type.fields.set(field.name.value, { signature: signatureOf(print(field.type), directives), args });
    }
    for (const v of part.values ?? []) type.values.set(v.name.value, directivesOf(v.directives).join(' '));
    for (const m of part.types ?? []) type.members.add(m.name.value);
    for (const i of part.interfaces ?? []) type.interfaces.add(i.name.value);
  }
  if (roots.size === 0) for (const root of Object.values(ROOT_TYPE_NAMES)) roots.add(root);
  const types = new Map<string, TypeSignature>();
  for (const [name, { directives, ...type }] of builders) {
    types.set(name, { ...type, signature: signatureOf(type.kind, [...directives].sort()) });
  }
  return { types, roots };
}

/** A field set as one line, so that whitespace and layout make no difference. */
function normalizedFieldSet(fields: string): string {
  try {
    return print(parse(`{${fields}}`, { noLocation: true }))
      .replace(/\s+/g, ' ')
      .replace(/^\{ | \}$/g, '');
  } catch {
    return fields.trim();
  }
}

type TypePart = DefinitionNode & {
  name: { value: string };
  directives?: readonly ConstDirectiveNode[];
  fields?: readonly (FieldDefinitionNode | InputValueDefinitionNode)[];
  interfaces?: readonly { name: { value: string } }[];
  types?: readonly { name: { value: string } }[];
  values?: readonly { name: { value: string }; directives?: readonly ConstDirectiveNode[] }[];
};

function newBuilder(kind: TypeKind): TypeBuilder {
  return {
    kind,
    directives: new Set(),
    fields: new Map(),
    inputFields: new Map(),
    values: new Map(),
    members: new Set(),
    interfaces: new Set(),
    keys: new Map(),
  };
}

function inputSignature(input: InputValueDefinitionNode, directives: readonly string[]): InputSignature {
  const defaultValue = input.defaultValue;
  const type = print(input.type);
  return {
    signature: signatureOf(defaultValue ? `${type} = ${print(defaultValue)}` : type, directives),
    namedType: namedType(input.type),
    required: input.type.kind === Kind.NON_NULL_TYPE && defaultValue === undefined,
    type: input.type,
    defaultValue,
  };
}

/** Federation's directives among these, printed by spec name, field sets normalized. */
function federationDirectives(
  directives: readonly ConstDirectiveNode[] | undefined,
  specName: (name: string) => string | undefined,
  skip?: ReadonlySet<string>,
): string[] {
  return (directives ?? []).flatMap((directive) => {
    const spec = specName(directive.name.value);
    if (spec === undefined || skip?.has(spec)) return [];
    const args = (directive.arguments ?? []).map((a) => {
      const value =
        a.name.value === 'fields' && a.value.kind === Kind.STRING ? normalizedFieldSet(a.value.value) : null;
      return `${a.name.value}: ${value === null ? print(a.value) : JSON.stringify(value)}`;
    });
    return [`@${spec}${args.length ? `(${args.sort().join(', ')})` : ''}`];
  });
}

function addKey(keys: Map<string, string>, directive: ConstDirectiveNode): void {
  const value = directive.arguments?.find((a) => a.name.value === 'fields')?.value;
  if (value?.kind === Kind.STRING) keys.set(normalizedFieldSet(value.value), value.value);
}

function signatureOf(head: string, directives: readonly string[]): string {
  return directives.length ? `${head} ${directives.join(' ')}` : head;
}

function namedType(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);
}
