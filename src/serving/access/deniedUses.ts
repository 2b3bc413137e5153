import {
  Kind,
  TypeInfo,
  getNamedType,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { denialFor, type AccessRequirement, type AccessRequirements, type Denial } from './accessRequirements.js';
import type { Caller } from './caller.js';

/** A field (or fragment type condition) of an operation the caller may not use, and why. */
export interface DeniedUse {
  /** Where the document uses it (every place, for one coordinate). */
  readonly nodes: readonly ASTNode[];
  /** The element selected: `Type.field`, or the type of a fragment. */
  readonly coordinate: string;
  /** The element carrying the requirement, when another: the field's type or the type it is on. */
  readonly via?: string;
  readonly requirement: AccessRequirement;
  readonly denial: Denial;
}

/**
 * The elements `operation` (with the fragments it spreads) selects that `caller` may not
 * use: a field is denied by its own requirement, by one of the type it is selected on,
 * or by one of the type it returns; a fragment by one of its type condition. Pure; costs
 * nothing when the supergraph has no requirements.
 */
export function findDeniedUses(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  requirements: AccessRequirements,
  caller: Caller,
): DeniedUse[] {
  const { byCoordinate } = requirements;
  if (byCoordinate.size === 0) return [];
  const found = new Map<string, { nodes: ASTNode[]; use: Omit<DeniedUse, 'nodes'> }>();
  const check = (node: ASTNode, coordinate: string, candidates: readonly string[]) => {
    for (const where of candidates) {
      const requirement = byCoordinate.get(where);
      const denial = requirement && denialFor(requirement, caller);
      if (!requirement || !denial) continue;
      const entry = found.get(coordinate);
      if (entry) entry.nodes.push(node);
      else {
        const use = { coordinate, requirement, denial, ...(where !== coordinate && { via: where }) };
        found.set(coordinate, { nodes: [node], use });
      }
      return;
    }
  };
  const typeInfo = new TypeInfo(schema);
  const visitor = visitWithTypeInfo(typeInfo, {
    Field(node) {
      const parent = typeInfo.getParentType();
      const field = typeInfo.getFieldDef();
      if (!parent || !field || node.name.value.startsWith('__')) return;
      const coordinate = `${parent.name}.${field.name}`;
      check(node, coordinate, [coordinate, parent.name, getNamedType(field.type).name]);
    },
    InlineFragment(node) {
      if (node.typeCondition) check(node, node.typeCondition.name.value, [node.typeCondition.name.value]);
    },
    FragmentDefinition(node) {
      check(node, node.typeCondition.name.value, [node.typeCondition.name.value]);
    },
  });
  for (const definition of [operation, ...spreadFragments(document, operation)]) visit(definition, visitor);
  return [...found.values()].map(({ nodes, use }) => ({ ...use, nodes }));
}

/** The fragment definitions an operation spreads, directly or through other fragments. */
function spreadFragments(document: DocumentNode, operation: OperationDefinitionNode): FragmentDefinitionNode[] {
  const byName = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])),
  );
  const reached = new Map<string, FragmentDefinitionNode>();
  const walk = (node: ASTNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        const fragment = byName.get(name);
        if (!fragment || reached.has(name)) return;
        reached.set(name, fragment);
        walk(fragment);
      },
    });
  walk(operation);
  return [...reached.values()];
}
