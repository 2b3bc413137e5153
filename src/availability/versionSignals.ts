import type { ServingEndpoint, SubgraphAvailability } from './types.js';

/** What a verdict's checks say about which versions of the subgraph serve. */
export interface VersionSignals {
  /** Joined revisions of every check that has one; empty when no source knows of versions. */
  readonly revision: string;
  /** Some check sees a rollout in progress. */
  readonly rollingOut: boolean;
  /** The rollout details in words, e.g. "rolling out revision 3: 1 of 3 replicas updated". */
  readonly detail: string;
  /** Every endpoint serving it, when a source lists them (sorted by id); undefined otherwise. */
  readonly endpoints?: readonly ServingEndpoint[];
}

/** Folds the rollout and endpoint signals of a verdict's checks; pure. */
export function versionSignals(verdict: SubgraphAvailability): VersionSignals {
  const rollouts = verdict.checks.flatMap((check) => (check.rollout ? [check.rollout] : []));
  const listed = verdict.checks.filter((check) => check.endpoints !== undefined);
  const endpoints = listed.length
    ? [...new Map(listed.flatMap((c) => c.endpoints!).map((e) => [e.id, e])).values()].sort((a, b) =>
        a.id.localeCompare(b.id),
      )
    : undefined;
  return {
    revision: rollouts.map((r) => r.revision).join(' '),
    rollingOut: rollouts.some((r) => r.inProgress),
    detail: rollouts
      .filter((r) => r.inProgress)
      .map((r) => r.detail)
      .join('; '),
    ...(endpoints && { endpoints }),
  };
}
