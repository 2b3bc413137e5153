import type { SubgraphCondition } from '../../sources/kubernetes/subgraphResource.js';

/** A Kubernetes Event about a Subgraph (events.k8s.io/v1 fields). */
export interface SubgraphEvent {
  readonly type: 'Normal' | 'Warning';
  /** CamelCase: Composed, Dropped, NotComposed, InvalidSpec, ConfigFileWins, DuplicateName. */
  readonly reason: string;
  /** What the gateway did: Compose, Drop, Ignore. */
  readonly action: string;
  /** For people, e.g. "Dropped: deployment shop/customers has 0 of 3 replicas available". */
  readonly note: string;
}

/** Reasons of an Unknown condition that say the gateway does not use the resource. */
const NOT_USED = new Set(['InvalidSpec', 'ConfigFileWins', 'DuplicateName']);

/**
 * The Event a change of the Composed condition makes, if any; pure. Compared with the
 * condition the resource had (as cached), so a new leader, a repeated reconcile or a
 * restart does not tell a transition twice: every drop (True → False) and every re-add
 * (→ True) is an Event; so is a resource the gateway stops using (an invalid spec, say).
 */
export function transitionEvent(
  before: SubgraphCondition | undefined,
  after: SubgraphCondition,
): SubgraphEvent | undefined {
  if (before?.status === after.status && (after.status !== 'Unknown' || before.reason === after.reason)) {
    return undefined;
  }
  switch (after.status) {
    case 'True':
      return { type: 'Normal', reason: 'Composed', action: 'Compose', note: 'Composed' };
    case 'False':
      return before?.status === 'True'
        ? { type: 'Warning', reason: 'Dropped', action: 'Drop', note: `Dropped: ${after.message}` }
        : { type: 'Warning', reason: 'NotComposed', action: 'Drop', note: `Not composed: ${after.message}` };
    case 'Unknown':
      return NOT_USED.has(after.reason)
        ? { type: 'Warning', reason: after.reason, action: 'Ignore', note: after.message }
        : undefined;
  }
}
