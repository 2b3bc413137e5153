import {
  astFromValue,
  getNamedType,
  isInterfaceType,
  isObjectType,
  print,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
} from 'graphql';
import { describeRemoval } from '../composition/reduction/index.js';
import type { CompositionStatus, SubgraphCompositionStatus } from '../composition/supergraphManager.js';
import { ROOT_TYPE_NAMES, type FieldCatalog } from '../composition/fieldCatalog.js';
import type { ServedSchema } from '../serving/servedSchema.js';
import type { ServingStatus } from '../serving/servingGateway.js';
import { exampleDocument } from './exampleDocument.js';
import type {
  Affordances,
  AvailableOperation,
  CompositionSummary,
  OperationKind,
  RemovedElement,
  SubgraphStatus,
  UnavailableOperation,
  UnavailableReasonKind,
} from './types.js';

export interface AffordancesInput {
  readonly served: ServedSchema;
  readonly composition: CompositionStatus;
  /** What the serving core is doing: a build that failed shows in the reasons of the subgraphs it would add. */
  readonly serving?: ServingStatus;
  /** Built from the last known SDL of every subgraph, up or down, and the local ones. */
  readonly catalog: FieldCatalog;
}

/**
 * The status of every subgraph, the part of the affordances that lists no operation: a
 * fraction of their cost with many subgraphs (what the history records). Pure.
 */
export function computeSubgraphStatuses({
  served,
  composition,
  serving,
}: Omit<AffordancesInput, 'catalog'>): SubgraphStatus[] {
  return [...composition.subgraphs.values()].map((status) => subgraphStatus(status, served, composition, serving));
}

/** What a client can do now, derived from the served schema and the composition status. Pure. */
export function computeAffordances(input: AffordancesInput): Affordances {
  const { served, composition, catalog } = input;
  const subgraphs = computeSubgraphStatuses(input);
  const statusOf = new Map(subgraphs.map((s) => [s.name, s]));
  const removed = removedElements(composition, statusOf);
  const removedFields = removedFieldsByType(removed);
  // While the schema without a subgraph that went down is being built, the served schema
  // still has its operations, but calling them fails: they are unavailable already.
  const down = (name: string) => composition.subgraphs.get(name)?.availability.available === false;
  const servedBySomeoneUp = (op: AvailableOperation) => {
    const owners = (catalog.fields.get(`${rootTypeOf(op.kind)}.${op.name}`) ?? []).filter((o) =>
      served.subgraphs.has(o),
    );
    return owners.length === 0 || owners.some((owner) => !down(owner));
  };
  const available = [
    ...rootOperations('QUERY', served.apiSchema.getQueryType(), served, catalog, removedFields),
    ...rootOperations('MUTATION', served.apiSchema.getMutationType(), served, catalog, removedFields),
  ].filter(servedBySomeoneUp);
  const removedRoots = new Map(removed.map((r) => [r.coordinate, r]));
  const removalCauses = new Map((composition.reduction?.removed ?? []).map((r) => [r.coordinate, r.cause.rule]));
  const servedNames = new Set(available.map((op) => `${op.kind} ${op.name}`));
  const unavailable: UnavailableOperation[] = [];
  for (const op of catalog.operations) {
    const key = `${op.kind} ${op.name}`;
    if (servedNames.has(key)) continue;
    servedNames.add(key);
    const status = statusOf.get(op.subgraph);
    // The field itself, or its whole root type (a Mutation type only one version has).
    const removal = removedRoots.get(`${rootTypeOf(op.kind)}.${op.name}`) ?? removedRoots.get(rootTypeOf(op.kind));
    unavailable.push({
      ...op,
      reason: removal
        ? removal.reason
        : status
          ? `subgraph ${op.subgraph} is unavailable: ${status.reason}`
          : `subgraph ${op.subgraph} is not configured`,
      reasonKind: removal
        ? reasonKindOf(removalCauses.get(removal.coordinate))
        : status
          ? 'SUBGRAPH_DOWN'
          : 'NOT_CONFIGURED',
      since:
        (removal?.needs && statusOf.get(removal.needs.subgraph)?.since) ||
        status?.since ||
        served.loadedAt.toISOString(),
    });
  }
  return {
    schemaVersion: served.version,
    schemaLoadedAt: served.loadedAt.toISOString(),
    available,
    unavailable,
    subgraphs,
    removed,
    composition: compositionSummary(composition),
    // For everyone: set per caller by callerView; present so the stream encodes it as null, as the query answers.
    caller: undefined,
  };
}

/** The reduction's removals, worded with the availability reason of the subgraph each needs. */
function removedElements(
  composition: CompositionStatus,
  statusOf: ReadonlyMap<string, SubgraphStatus>,
): RemovedElement[] {
  const downClause = (subgraph: string) => {
    const reason = statusOf.get(subgraph)?.reason;
    return reason ? `which is down (${reason})` : 'which is down';
  };
  return (composition.reduction?.removed ?? []).map((removal) => ({
    coordinate: removal.coordinate,
    kind: removal.kind,
    subgraph: removal.subgraph,
    ...(removal.needs && {
      needs: {
        subgraph: removal.needs.subgraph,
        ...(removal.needs.coordinate !== undefined && { coordinate: removal.needs.coordinate }),
      },
    }),
    reason: describeRemoval(removal, downClause),
  }));
}

function compositionSummary(composition: CompositionStatus): CompositionSummary {
  if (composition.failure) return { state: 'PREVIOUS', errors: composition.failure.errors };
  const reduction = composition.reduction;
  if (!reduction || (reduction.removed.length === 0 && reduction.dropped.length === 0)) {
    return { state: 'COMPLETE', errors: [] };
  }
  return {
    state: 'REDUCED',
    errors: reduction.dropped.flatMap((d) => d.errors.map((e) => `subgraph ${d.name}: ${e.message}`)),
  };
}

/** Type name → coordinates of its fields that were removed. */
function removedFieldsByType(removed: readonly RemovedElement[]): ReadonlyMap<string, string[]> {
  const byType = new Map<string, string[]>();
  for (const removal of removed) {
    if (removal.kind !== 'field') continue;
    const type = removal.coordinate.slice(0, removal.coordinate.indexOf('.'));
    byType.set(type, [...(byType.get(type) ?? []), removal.coordinate]);
  }
  return byType;
}

/** The removed fields on the types an operation's result reaches (none when nothing was removed). */
function removedFieldsReached(root: GraphQLNamedType, removedFields: ReadonlyMap<string, string[]>): string[] {
  if (removedFields.size === 0) return [];
  const seen = new Set<string>();
  const found = new Set<string>();
  const walk = (type: GraphQLNamedType) => {
    if (seen.has(type.name)) return;
    seen.add(type.name);
    for (const coordinate of removedFields.get(type.name) ?? []) found.add(coordinate);
    if (!isObjectType(type) && !isInterfaceType(type)) return;
    for (const field of Object.values(type.getFields())) walk(getNamedType(field.type));
  };
  walk(root);
  return [...found].sort();
}

function rootOperations(
  kind: OperationKind,
  root: GraphQLObjectType | null | undefined,
  served: ServedSchema,
  catalog: FieldCatalog,
  removedFields: ReadonlyMap<string, string[]>,
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
    removedFields: removedFieldsReached(getNamedType(field.type), removedFields),
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
  } else if (!composed && dropped(composition, status.name)) {
    const errors = dropped(composition, status.name)!.errors.map((e) => `${e.code}: ${e.message}`);
    reason = `left out of the schema: it does not compose with the other subgraphs (${errors.join('; ')})`;
  } else if (!composed && serving?.phase === 'retrying') {
    reason =
      `composed, but the gateway cannot build the schema that adds it (attempt ${serving.attempt}, ` +
      `next ${serving.retryAt.toISOString()}): ${serving.error}`;
  } else if (!composed) reason = 'being composed';
  else {
    const left = composition.reduction?.removed.filter((r) => r.subgraph === status.name) ?? [];
    reason = left.length
      ? `${availability.reason}; served without ${left.map((r) => r.coordinate).join(', ')} (see removed)`
      : availability.reason;
    if (status.rejectedVersion) {
      reason +=
        `; its new version ${status.rejectedVersion.hash.slice(0, 8)} does not compose, so its last good version ` +
        `is served: ${status.rejectedVersion.errors.join('; ')}`;
    }
  }
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
      backend: check.backend,
    })),
    versions: status.versions,
    rejectedVersion: status.rejectedVersion,
  };
}

const dropped = (composition: CompositionStatus, name: string) =>
  composition.reduction?.dropped.find((d) => d.name === name);

/** A removal's kind of reason: a rollout, something down it needs, or composition. */
function reasonKindOf(rule: string | undefined): UnavailableReasonKind {
  if (rule === 'versions') return 'ROLLING_OUT';
  return rule === 'composition' || rule === 'emptied' ? 'LEFT_OUT' : 'SUBGRAPH_DOWN';
}

/** The root type of a root operation of this kind. */
const rootTypeOf = (kind: OperationKind) => ROOT_TYPE_NAMES[kind === 'QUERY' ? 'query' : 'mutation'];
