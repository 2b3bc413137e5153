import { astFromValue, print, type GraphQLField, type GraphQLObjectType } from 'graphql';
import type { CompositionStatus, SubgraphCompositionStatus } from '../composition/supergraphManager.js';
import type { FieldCatalog } from '../composition/fieldCatalog.js';
import type { ServedSchema } from '../serving/servedSchema.js';
import type { ServingStatus } from '../serving/servingGateway.js';
import { exampleDocument } from './exampleDocument.js';
import type { Affordances, AvailableOperation, OperationKind, SubgraphStatus, UnavailableOperation } from './types.js';

export interface AffordancesInput {
  readonly served: ServedSchema;
  readonly composition: CompositionStatus;
  /** What the serving core is doing: a build that failed shows in the reasons of the subgraphs it would add. */
  readonly serving?: ServingStatus;
  /** Built from the last known SDL of every subgraph, up or down, and the local ones. */
  readonly catalog: FieldCatalog;
}

/** What a client can do now, derived from the served schema and the composition status. Pure. */
export function computeAffordances({ served, composition, serving, catalog }: AffordancesInput): Affordances {
  const subgraphs = [...composition.subgraphs.values()].map((status) =>
    subgraphStatus(status, served, composition, serving),
  );
  const statusOf = new Map(subgraphs.map((s) => [s.name, s]));
  const available = [
    ...rootOperations('QUERY', served.apiSchema.getQueryType(), served, catalog),
    ...rootOperations('MUTATION', served.apiSchema.getMutationType(), served, catalog),
  ];
  const servedNames = new Set(available.map((op) => `${op.kind} ${op.name}`));
  const unavailable: UnavailableOperation[] = [];
  for (const op of catalog.operations) {
    const key = `${op.kind} ${op.name}`;
    if (servedNames.has(key)) continue;
    servedNames.add(key);
    const status = statusOf.get(op.subgraph);
    unavailable.push({
      ...op,
      reason: status
        ? `subgraph ${op.subgraph} is unavailable: ${status.reason}`
        : `subgraph ${op.subgraph} is not configured`,
      since: status?.since ?? served.loadedAt.toISOString(),
    });
  }
  return {
    schemaVersion: served.version,
    schemaLoadedAt: served.loadedAt.toISOString(),
    available,
    unavailable,
    subgraphs,
  };
}

function rootOperations(
  kind: OperationKind,
  root: GraphQLObjectType | null | undefined,
  served: ServedSchema,
  catalog: FieldCatalog,
): AvailableOperation[] {
  if (!root) return [];
  return Object.values(root.getFields()).map((field) => ({
    name: field.name,
    kind,
    subgraph: ownerOf(`${root.name}.${field.name}`, served, catalog),
    arguments: field.args.map((arg) => {
      const literal = arg.defaultValue === undefined ? undefined : astFromValue(arg.defaultValue, arg.type);
      return {
        name: arg.name,
        type: String(arg.type),
        defaultValue: literal ? print(literal) : undefined,
        description: arg.description ?? undefined,
      };
    }),
    returnType: String(field.type),
    description: field.description ?? undefined,
    example: exampleDocument(kind, field as GraphQLField<unknown, unknown>),
  }));
}

function ownerOf(coordinate: string, served: ServedSchema, catalog: FieldCatalog): string {
  const owners = catalog.fields.get(coordinate) ?? [];
  return owners.find((name) => served.subgraphs.has(name)) ?? owners[0] ?? 'unknown';
}

function subgraphStatus(
  status: SubgraphCompositionStatus,
  served: ServedSchema,
  composition: CompositionStatus,
  serving: ServingStatus | undefined,
): SubgraphStatus {
  const composed = served.subgraphs.has(status.name);
  const { availability } = status;
  let reason: string;
  if (!availability.available) reason = availability.reason;
  else if (status.sdlError) reason = `SDL not read: ${status.sdlError}`;
  else if (!composed && composition.failure?.subgraphs.includes(status.name)) {
    reason = `composition failed, previous schema kept: ${composition.failure.errors.join('; ')}`;
  } else if (!composed && serving?.phase === 'retrying') {
    reason =
      `composed, but the gateway cannot build the schema that adds it (attempt ${serving.attempt}, ` +
      `next ${serving.retryAt.toISOString()}): ${serving.error}`;
  } else if (!composed) reason = 'being composed';
  else reason = availability.reason;
  return {
    name: status.name,
    url: status.url,
    available: composed && status.composable,
    composed,
    reason,
    since: availability.since.toISOString(),
    checks: availability.checks.map((check) => ({
      source: check.source,
      id: check.id,
      ok: check.ok,
      reason: check.reason,
      since: check.since.toISOString(),
      replicas: check.replicas,
    })),
  };
}
