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
import type { SubgraphStatus } from './types.js';
import type { FieldCatalog } from '../composition/fieldCatalog.js';
import { ErrorCode } from '../platform/errorCodes.js';

/** An unknown field or type of an operation, with the unavailable subgraph that would serve it. */
export interface UnavailableUse {
  readonly node: ASTNode;
  /** "Type.field", or the type name. */
  readonly coordinate: string;
  readonly subgraph: SubgraphStatus;
}

/**
 * Finds the fields and types an operation uses that the served schema lacks because a
 * subgraph declaring them is unavailable. Pure; run only after validation failed.
 */
export function findUnavailableUses(
  document: DocumentNode,
  schema: GraphQLSchema,
  catalog: FieldCatalog,
  subgraphs: readonly SubgraphStatus[],
): UnavailableUse[] {
  const down = new Map(subgraphs.filter((s) => !s.composed).map((s) => [s.name, s]));
  const firstDown = (owners: readonly string[] | undefined) =>
    owners?.map((owner) => down.get(owner)).find((s) => s !== undefined);
  const uses: UnavailableUse[] = [];
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (!parent || typeInfo.getFieldDef()) return;
        const coordinate = `${parent.name}.${node.name.value}`;
        const subgraph = firstDown(catalog.fields.get(coordinate));
        if (subgraph) uses.push({ node, coordinate, subgraph });
      },
      NamedType(node) {
        if (schema.getType(node.name.value)) return;
        const subgraph = firstDown(catalog.types.get(node.name.value));
        if (subgraph) uses.push({ node, coordinate: node.name.value, subgraph });
      },
    }),
  );
  return uses;
}

/** The error a client gets instead of "Cannot query field": what, which subgraph, why, and what to do. */
export function operationUnavailableError(use: UnavailableUse): GraphQLError {
  const what = use.node.kind === Kind.FIELD ? `field ${use.coordinate}` : `type ${use.coordinate}`;
  return new GraphQLError(
    `${what} is unavailable: subgraph ${use.subgraph.name} is down (${use.subgraph.reason}). ` +
      'Query `affordances` for what can be called now, or retry when it is back.',
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
