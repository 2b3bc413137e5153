import type { AvailabilityMap, ServingEndpoint, SourcedCheck, SubgraphAvailability } from './types.js';

export interface DeriveInput {
  /** Every subgraph the gateway knows. */
  subgraphs: readonly string[];
  /** Every check of every source. */
  checks: readonly SourcedCheck[];
  /** The previous verdicts; empty on the first derivation. */
  previous: AvailabilityMap;
  now: Date;
  /** How long a subgraph must have been up before it is re-added. */
  settleMs: number;
}

/**
 * Computes every subgraph's verdict from the whole current state (level-triggered).
 * A subgraph is available only when all its checks pass. Going down is immediate; coming
 * back waits until every check has passed for `settleMs`, which damps flapping. On the
 * first derivation there is nothing to damp, so an up subgraph is available at once.
 */
export function deriveAvailability(input: DeriveInput): Map<string, SubgraphAvailability> {
  const { previous, now, settleMs } = input;
  const result = new Map<string, SubgraphAvailability>();
  for (const name of input.subgraphs) {
    const checks = input.checks.filter((check) => check.subgraph === name);
    const failing = checks.filter((check) => !check.ok);
    const before = previous.get(name);
    if (failing.length > 0) {
      const reason = failing.map(describeFailure).join('; ');
      const since = before && !before.available ? before.since : now;
      result.set(name, { name, available: false, reason, since, checks });
      continue;
    }
    if (!before || before.available) {
      result.set(name, { name, available: true, reason: 'all checks pass', since: before?.since ?? now, checks });
      continue;
    }
    // Up again after being down: re-add once every check has been up for settleMs.
    const upSince = Math.max(0, ...checks.map((check) => check.since.getTime()));
    const settlingUntil = new Date(upSince + settleMs);
    if (settlingUntil.getTime() <= now.getTime()) {
      result.set(name, { name, available: true, reason: 'all checks pass', since: now, checks });
    } else {
      const reason = `up again, settling until ${settlingUntil.toISOString()} before it is re-added`;
      result.set(name, { name, available: false, reason, since: before.since, settlingUntil, checks });
    }
  }
  return result;
}

/** "<check id>: <reason>", unless the reason already starts with what the id says. */
function describeFailure(check: SourcedCheck): string {
  return check.reason.startsWith(check.id) ? check.reason : `${check.id}: ${check.reason}`;
}

/** True when the two verdicts, checks included, would be presented the same way. */
export function sameVerdict(a: SubgraphAvailability | undefined, b: SubgraphAvailability): boolean {
  return (
    !!a &&
    a.available === b.available &&
    a.reason === b.reason &&
    a.since.getTime() === b.since.getTime() &&
    a.checks.length === b.checks.length &&
    a.checks.every((check, i) => {
      const other = b.checks[i]!;
      return (
        check.id === other.id &&
        check.ok === other.ok &&
        check.reason === other.reason &&
        check.rollout?.revision === other.rollout?.revision &&
        check.rollout?.inProgress === other.rollout?.inProgress &&
        sameEndpoints(check.endpoints, other.endpoints)
      );
    })
  );
}

const sameEndpoints = (a: readonly ServingEndpoint[] | undefined, b: readonly ServingEndpoint[] | undefined) =>
  a === b || (!!a && !!b && a.length === b.length && a.every((e, i) => e.id === b[i]!.id && e.url === b[i]!.url));
