import type { Affordances } from '../../affordances/types.js';
import type { SubgraphAvailability } from '../../availability/types.js';
import { ROOT_TYPE_NAMES } from '../../composition/fieldCatalog.js';
import type { CompositionStatus } from '../../composition/supergraphManager.js';
import type {
  ConditionStatus,
  ResourceUse,
  SubgraphCondition,
  SubgraphResource,
  SubgraphResourceStatus,
} from '../../sources/kubernetes/subgraphResource.js';

export interface SubgraphStatusInput {
  /** As cached: its generation, and the conditions written before (their transition times). */
  readonly resource: SubgraphResource;
  readonly use: ResourceUse;
  /** The availability verdict of the subgraph of the resource's name, once there is one. */
  readonly availability: SubgraphAvailability | undefined;
  /** The affordances served now (whether it is composed, why not, its versions and operations). */
  readonly affordances: Affordances;
  /** The structured causes behind the affordances' reasons. */
  readonly composition: CompositionStatus;
  readonly now: Date;
}

/** The parts of a condition that say what it is; `lastTransitionTime` and the generation are added from the resource. */
interface Verdict {
  readonly status: ConditionStatus;
  readonly reason: string;
  readonly message: string;
}

/** The most a condition message holds (the CRD's maxLength). */
const MAX_MESSAGE = 32_768;
/** The most operations listed. */
const MAX_OPERATIONS = 256;

/**
 * A Subgraph resource's status from the gateway's whole current verdict; pure and
 * level-triggered. `Available` is the availability verdict (every check of every source
 * passes, settled), `Composed` whether the served schema has it. Reasons come from the
 * structured data (checks, composition causes), never from the wording of messages; each
 * message is the gateway's own reason, as `affordances` gives it.
 */
export function subgraphStatus(input: SubgraphStatusInput): SubgraphResourceStatus {
  const { resource, use, affordances } = input;
  const name = resource.metadata?.name ?? '';
  const generation = resource.metadata?.generation;
  const available = availableVerdict(name, use, input.availability);
  const composed = use.kind === 'declares' ? composedVerdict(name, available, input) : available;
  const condition = (type: SubgraphCondition['type'], verdict: Verdict): SubgraphCondition => {
    const before = resource.status?.conditions?.find((c) => c.type === type);
    return {
      type,
      ...verdict,
      message: verdict.message.slice(0, MAX_MESSAGE),
      lastTransitionTime:
        before && before.status === verdict.status ? before.lastTransitionTime : kubernetesTime(input.now),
      ...(generation !== undefined && { observedGeneration: generation }),
    };
  };
  const served = use.kind === 'declares' ? affordances.subgraphs.find((s) => s.name === name) : undefined;
  return {
    ...(generation !== undefined && { observedGeneration: generation }),
    conditions: [condition('Available', available), condition('Composed', composed)],
    ...(served && { url: served.url }),
    replicas:
      use.kind === 'declares'
        ? (input.availability?.checks ?? []).flatMap((check) =>
            check.replicas ? [{ workload: check.id, ...check.replicas }] : [],
          )
        : [],
    versions: served ? served.versions.map(({ hash, endpoints }) => ({ hash, endpoints })) : [],
    unavailableOperations:
      use.kind === 'declares'
        ? affordances.unavailable
            .filter((op) => op.subgraph === name)
            .map((op) => `${ROOT_TYPE_NAMES[op.kind === 'QUERY' ? 'query' : 'mutation']}.${op.name}`)
            .sort()
            .slice(0, MAX_OPERATIONS)
        : [],
  };
}

function availableVerdict(name: string, use: ResourceUse, availability: SubgraphAvailability | undefined): Verdict {
  switch (use.kind) {
    case 'shadowed':
      return {
        status: 'Unknown',
        reason: 'ConfigFileWins',
        message: `the gateway's config file defines subgraph ${name}, which wins over this resource: its spec is not used`,
      };
    case 'invalid':
      return { status: 'Unknown', reason: 'InvalidSpec', message: `not used: ${use.problem}` };
    case 'duplicate':
      return {
        status: 'Unknown',
        reason: 'DuplicateName',
        message: `not used: ${use.declaredBy} already declares subgraph ${name}`,
      };
    case 'declares':
      break;
  }
  if (!availability) return { status: 'Unknown', reason: 'Pending', message: 'the gateway has no verdict on it yet' };
  if (availability.available) return { status: 'True', reason: 'ChecksPass', message: availability.reason };
  const failing = availability.checks.filter((check) => !check.ok);
  const reason = availability.settlingUntil
    ? 'Settling'
    : failing.some((check) => check.replicas)
      ? 'ReplicasUnavailable'
      : failing.some((check) => check.endpoints)
        ? 'NoReadyEndpoints'
        : 'ChecksFailing';
  return { status: 'False', reason, message: availability.reason };
}

function composedVerdict(name: string, available: Verdict, input: SubgraphStatusInput): Verdict {
  const served = input.affordances.subgraphs.find((s) => s.name === name);
  if (!served) return { status: 'Unknown', reason: 'Pending', message: 'the gateway has not composed it yet' };
  const { composition } = input;
  const message = served.reason;
  if (served.composed) {
    const removals = composition.reduction?.removed.filter((r) => r.subgraph === name) ?? [];
    const reason = removals.some((r) => r.cause.rule === 'versions')
      ? 'RollingOut'
      : removals.length > 0
        ? 'Reduced'
        : served.rejectedVersion
          ? 'VersionRejected'
          : 'Composed';
    return { status: 'True', reason, message };
  }
  const status = composition.subgraphs.get(name);
  const reason =
    available.status !== 'True'
      ? available.reason
      : status?.sdlError
        ? 'SDLNotRead'
        : composition.failure?.subgraphs.includes(name)
          ? 'CompositionFailed'
          : composition.reduction?.dropped.some((d) => d.name === name)
            ? 'DoesNotCompose'
            : 'Pending';
  return { status: 'False', reason, message };
}

/** RFC 3339 to the second, as Kubernetes writes metav1.Time. */
const kubernetesTime = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');
