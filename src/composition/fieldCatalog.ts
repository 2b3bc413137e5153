import { Kind, print, type DefinitionNode, type DocumentNode, type FieldDefinitionNode } from 'graphql';

/** A root field as a subgraph declares it. */
export interface DeclaredOperation {
  readonly kind: 'QUERY' | 'MUTATION';
  readonly name: string;
  readonly subgraph: string;
  readonly arguments: readonly { name: string; type: string; defaultValue?: string; description?: string }[];
  readonly returnType: string;
  readonly description?: string;
}

/** Which subgraphs declare which types, fields and root operations. */
export interface FieldCatalog {
  /** "Type.field" → subgraphs declaring it. */
  readonly fields: ReadonlyMap<string, readonly string[]>;
  /** Type name → subgraphs declaring it. */
  readonly types: ReadonlyMap<string, readonly string[]>;
  readonly operations: readonly DeclaredOperation[];
}

const ROOTS = { Query: 'QUERY', Mutation: 'MUTATION' } as const;

/** The root type each kind of operation runs on, by the names federation gives them. */
export const ROOT_TYPE_NAMES = { query: 'Query', mutation: 'Mutation', subscription: 'Subscription' } as const;

/** Indexes subgraph SDLs by type and field; pure, cheap enough to rebuild on every change. */
export function buildFieldCatalog(typeDefs: ReadonlyMap<string, DocumentNode>): FieldCatalog {
  const fields = new Map<string, string[]>();
  const types = new Map<string, string[]>();
  const operations: DeclaredOperation[] = [];
  const add = (map: Map<string, string[]>, key: string, subgraph: string) => {
    const owners = map.get(key) ?? [];
    if (!owners.includes(subgraph)) owners.push(subgraph);
    map.set(key, owners);
  };
  for (const [subgraph, document] of typeDefs) {
    for (const definition of document.definitions) {
      const typeName = namedTypeOf(definition);
      if (!typeName || isFederationInternal(typeName)) continue;
      add(types, typeName, subgraph);
      for (const field of fieldsOf(definition)) {
        if (isFederationInternal(field.name.value)) continue;
        add(fields, `${typeName}.${field.name.value}`, subgraph);
        const kind = ROOTS[typeName as keyof typeof ROOTS];
        if (kind) operations.push(declaredOperation(kind, subgraph, field));
      }
    }
  }
  return { fields, types, operations };
}

/** `_entities`, `_service`, `_Any`…: federation plumbing, never an operation of a client's. */
function isFederationInternal(name: string): boolean {
  return name.startsWith('_');
}

function namedTypeOf(definition: DefinitionNode): string | undefined {
  switch (definition.kind) {
    case Kind.OBJECT_TYPE_DEFINITION:
    case Kind.OBJECT_TYPE_EXTENSION:
    case Kind.INTERFACE_TYPE_DEFINITION:
    case Kind.INTERFACE_TYPE_EXTENSION:
    case Kind.INPUT_OBJECT_TYPE_DEFINITION:
    case Kind.INPUT_OBJECT_TYPE_EXTENSION:
    case Kind.ENUM_TYPE_DEFINITION:
    case Kind.ENUM_TYPE_EXTENSION:
    case Kind.UNION_TYPE_DEFINITION:
    case Kind.UNION_TYPE_EXTENSION:
    case Kind.SCALAR_TYPE_DEFINITION:
    case Kind.SCALAR_TYPE_EXTENSION:
      return definition.name.value;
    default:
      return undefined;
  }
}

function fieldsOf(definition: DefinitionNode): readonly FieldDefinitionNode[] {
  switch (definition.kind) {
    case Kind.OBJECT_TYPE_DEFINITION:
    case Kind.OBJECT_TYPE_EXTENSION:
    case Kind.INTERFACE_TYPE_DEFINITION:
    case Kind.INTERFACE_TYPE_EXTENSION:
      return definition.fields ?? [];
    default:
      return [];
  }
}

function declaredOperation(
  kind: DeclaredOperation['kind'],
  subgraph: string,
  field: FieldDefinitionNode,
): DeclaredOperation {
  return {
    kind,
    name: field.name.value,
    subgraph,
    arguments: (field.arguments ?? []).map((arg) => ({
      name: arg.name.value,
      type: print(arg.type),
      defaultValue: arg.defaultValue ? print(arg.defaultValue) : undefined,
      description: arg.description?.value,
    })),
    returnType: print(field.type),
    description: field.description?.value,
  };
}
