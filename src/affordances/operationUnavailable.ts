import {
  GraphQLError,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  Kind,
  type ASTNode,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import type { RemovedElement, SubgraphStatus } from './types.js';
import { ROOT_TYPE_NAMES, type FieldCatalog } from '../composition/fieldCatalog.js';
import { ErrorCode } from '../platform/errorCodes.js';

/** An unknown field, argument or type of an operation, with the unavailable subgraph that would serve it. */
export interface UnavailableUse {
  readonly node: ASTNode;
  /** "Type.field", "Type.field(arg:)", or the type name. */
  readonly coordinate: string;
  /** The subgraph that is down: the one declaring it, or the one it needs when it was removed. */
  readonly subgraph: SubgraphStatus;
  /** Set when an available subgraph declares it but it was left out, needing what is gone. */
  readonly removal?: RemovedElement;
}

/**
 * Finds the fields, arguments and types an operation uses that the served schema lacks
 * because a subgraph declaring them is unavailable, or because they were left out of an
 * available subgraph as they need one that is (`removed`). Pure; run only after
 * validation failed.
 */
export function findUnavailableUses(
  document: DocumentNode,
  schema: GraphQLSchema,
  catalog: FieldCatalog,
  subgraphs: readonly SubgraphStatus[],
  removed: readonly RemovedElement[] = [],
): UnavailableUse[] {
  const down = new Map(subgraphs.filter((s) => !s.composed).map((s) => [s.name, s]));
  const byName = new Map(subgraphs.map((s) => [s.name, s]));
  const removals = new Map(removed.map((r) => [r.coordinate, r]));
  const removedUse = (node: ASTNode, coordinate: string): UnavailableUse | undefined => {
    const removal = removals.get(coordinate);
    const subgraph = removal && byName.get(removal.needs?.subgraph ?? removal.subgraph);
    return removal && subgraph ? { node, coordinate, subgraph, removal } : undefined;
  };
  const firstDown = (owners: readonly string[] | undefined) =>
    owners?.map((owner) => down.get(owner)).find((s) => s !== undefined);
  const uses: UnavailableUse[] = [];
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      OperationDefinition(node) {
        if (schema.getRootType(node.operation)) return;
        const root = ROOT_TYPE_NAMES[node.operation];
        const subgraph = firstDown(catalog.types.get(root));
        if (subgraph) uses.push({ node, coordinate: root, subgraph });
      },
      Field(node) {
        const parent = typeInfo.getParentType();
        if (!parent || typeInfo.getFieldDef()) return;
        const coordinate = `${parent.name}.${node.name.value}`;
        const subgraph = firstDown(catalog.fields.get(coordinate));
        const use = subgraph ? { node, coordinate, subgraph } : removedUse(node, coordinate);
        if (use) uses.push(use);
      },
      Argument(node) {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (!parent || !field || typeInfo.getArgument()) return;
        const use = removedUse(node, `${parent.name}.${field.name}(${node.name.value}:)`);
        if (use) uses.push(use);
      },
      NamedType(node) {
        if (schema.getType(node.name.value)) return;
        const subgraph = firstDown(catalog.types.get(node.name.value));
        const use = subgraph ? { node, coordinate: node.name.value, subgraph } : removedUse(node, node.name.value);
        if (use) uses.push(use);
      },
    }),
  );
  return uses;
}

/** The error a client gets instead of "Cannot query field": what, which subgraph, why, and what to do. */
export function operationUnavailableError(use: UnavailableUse): GraphQLError {
  const what =
    use.node.kind === Kind.FIELD
      ? `field ${use.coordinate}`
      : use.node.kind === Kind.ARGUMENT
        ? `argument ${use.coordinate}`
        : use.node.kind === Kind.OPERATION_DEFINITION
          ? `every ${use.node.operation} (type ${use.coordinate})`
          : `type ${use.coordinate}`;
  const why = use.removal ? `${use.removal.reason}` : `subgraph ${use.subgraph.name} is down (${use.subgraph.reason})`;
  return new GraphQLError(
    `${what} is unavailable: ${why}. ` + 'Query `affordances` for what can be called now, or retry when it is back.',
    {
      nodes: [use.node],
      extensions: {
        code: ErrorCode.OPERATION_UNAVAILABLE,
        coordinate: use.coordinate,
        subgraph: use.subgraph.name,
        reason: use.subgraph.reason,
        since: use.subgraph.since,
      },
    },
  );
}
