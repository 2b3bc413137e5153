import { Kind, visit, type ASTNode, type DirectiveNode, type DocumentNode } from 'graphql';
import { federationNames } from './federationNames.js';
import { element } from './schemaElement.js';
import type { SchemaElement } from './types.js';

/**
 * Which element of a subgraph each AST node of its document belongs to, so that the
 * nodes a composition error carries name what to remove. Composition hands back the
 * very nodes it was given (looked up by identity); nodes rebuilt along the way are
 * matched by their location in the source, named after the subgraph.
 */
export class ElementIndex {
  private readonly byNode = new Map<ASTNode, SchemaElement>();
  private readonly byLocation = new Map<string, SchemaElement>();

  constructor(
    readonly subgraph: string,
    document: DocumentNode,
  ) {
    const names = federationNames(document);
    for (const definition of document.definitions) {
      if (!('name' in definition) || !definition.name || !definition.kind.match(/Type(Definition|Extension)$/))
        continue;
      const type = definition.name.value;
      const input =
        definition.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION || definition.kind === Kind.INPUT_OBJECT_TYPE_EXTENSION;
      this.mark(definition, element.type(type));
      for (const directive of ('directives' in definition ? definition.directives : undefined) ?? []) {
        if (directive.name.value === names.key) this.mark(directive, element.key(type, fieldsOf(directive) ?? ''));
      }
      for (const i of ('interfaces' in definition ? definition.interfaces : undefined) ?? []) {
        this.mark(i, element.implements(type, i.name.value));
      }
      for (const t of ('types' in definition ? definition.types : undefined) ?? []) {
        this.mark(t, element.unionMember(type, t.name.value));
      }
      for (const v of ('values' in definition ? definition.values : undefined) ?? []) {
        this.mark(v, element.enumValue(type, v.name.value));
      }
      for (const field of ('fields' in definition ? definition.fields : undefined) ?? []) {
        const name = field.name.value;
        if (input) {
          this.mark(field, element.inputField(type, name));
          continue;
        }
        this.mark(field, element.field(type, name));
        for (const arg of ('arguments' in field ? field.arguments : undefined) ?? []) {
          this.mark(arg, element.argument(type, name, arg.name.value));
        }
        for (const directive of field.directives ?? []) {
          if (directive.name.value === names.provides) this.mark(directive, element.directive(type, name, 'provides'));
          if (directive.name.value === names.override) this.mark(directive, element.directive(type, name, 'override'));
        }
      }
    }
  }

  /** The element a node (from an error) belongs to, if it is one of this subgraph's. */
  elementOf(node: ASTNode): SchemaElement | undefined {
    const known = this.byNode.get(node);
    if (known) return known;
    if (node.loc?.source.name !== this.subgraph) return undefined;
    return this.byLocation.get(locationKey(node));
  }

  /** Marks a node and everything below it; later (more specific) marks win. */
  private mark(root: ASTNode, e: SchemaElement): void {
    visit(root, {
      enter: (node) => {
        this.byNode.set(node, e);
        if (node.loc) this.byLocation.set(locationKey(node), e);
      },
    });
  }
}

function locationKey(node: ASTNode): string {
  return `${node.kind}@${node.loc?.start}-${node.loc?.end}`;
}

function fieldsOf(directive: DirectiveNode): string | undefined {
  const value = directive.arguments?.find((a) => a.name.value === 'fields')?.value;
  return value?.kind === Kind.STRING ? value.value : undefined;
}
