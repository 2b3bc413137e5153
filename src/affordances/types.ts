/** The answer of the `affordances` query; plain data, also sent on the change stream. */
export interface Affordances {
  readonly schemaVersion: string;
  readonly schemaLoadedAt: string;
  readonly available: readonly AvailableOperation[];
  readonly unavailable: readonly UnavailableOperation[];
  readonly subgraphs: readonly SubgraphStatus[];
  /** Elements of available subgraphs the served schema leaves out, because they need what is gone. */
  readonly removed: readonly RemovedElement[];
  /** How the served schema came about. */
  readonly composition: CompositionSummary;
  /** Whom these affordances are for, when authorization is on (see callerView); absent otherwise. */
  readonly caller?: CallerSummary;
}

/** The caller affordances were computed for: only what tells callers apart (no subject). */
export interface CallerSummary {
  readonly authenticated: boolean;
  /** The scopes it holds of those the schema requires, sorted. */
  readonly scopes: readonly string[];
}

/**
 * The kind of reason an operation is unavailable: to this caller (UNAUTHENTICATED: it
 * needs a token; FORBIDDEN: the token lacks a scope), or to everyone (SUBGRAPH_DOWN: its
 * subgraph, or one it needs, is down; ROLLING_OUT: not every serving version has it;
 * LEFT_OUT: composition left it out; NOT_CONFIGURED: its subgraph is not configured).
 */
export type UnavailableReasonKind =
  'UNAUTHENTICATED' | 'FORBIDDEN' | 'SUBGRAPH_DOWN' | 'ROLLING_OUT' | 'LEFT_OUT' | 'NOT_CONFIGURED';

/** An element of an available subgraph left out of the served schema (see composition/reduction). */
export interface RemovedElement {
  /** Schema coordinate, e.g. `Product.shipping`, `Query.items(limit:)`, `Product`. */
  readonly coordinate: string;
  /** field, type, argument, inputField, enumValue, key, directive, implements, unionMember. */
  readonly kind: string;
  /** The subgraph it was removed from. */
  readonly subgraph: string;
  /** What it needs that is gone: a subgraph, and the element there when one is the cause. */
  readonly needs?: { readonly subgraph: string; readonly coordinate?: string };
  /** The cause in words, with the needed subgraph's own reason. */
  readonly reason: string;
}

/**
 * COMPLETE: every available subgraph is served as it is. REDUCED: some elements of
 * available subgraphs are left out (`removed`) or whole subgraphs dropped, so that the
 * rest composes. PREVIOUS: the available subgraphs do not compose even reduced, and the
 * schema served before is kept (`errors` say why).
 */
export type CompositionState = 'COMPLETE' | 'REDUCED' | 'PREVIOUS';

export interface CompositionSummary {
  readonly state: CompositionState;
  readonly errors: readonly string[];
}

export type OperationKind = 'QUERY' | 'MUTATION';

export interface OperationArgument {
  readonly name: string;
  readonly type: string;
  readonly defaultValue?: string;
  readonly description?: string;
}

/** What every root operation is described by, available or not. */
export interface OperationSignature {
  readonly name: string;
  readonly kind: OperationKind;
  readonly subgraph: string;
  readonly arguments: readonly OperationArgument[];
  readonly returnType: string;
  readonly description?: string;
}

export interface AvailableOperation extends OperationSignature {
  /** A document that runs as is, given its variables. */
  readonly example: string;
  /** Coordinates of fields it could select but cannot now (see `removed`), on the types it reaches. */
  readonly removedFields: readonly string[];
}

export interface UnavailableOperation extends OperationSignature {
  readonly reason: string;
  readonly reasonKind: UnavailableReasonKind;
  readonly since: string;
}

export interface AvailabilityCheck {
  readonly source: string;
  readonly id: string;
  readonly ok: boolean;
  readonly reason: string;
  readonly since: string;
  /** Replica counts behind the check, when it is about a Deployment. */
  readonly replicas?: { readonly available: number; readonly desired: number };
  /** The backend of the subgraph's `dependsOn` it is about, as its source says; absent when about the subgraph itself. */
  readonly backend?: string;
}

export interface SubgraphStatus {
  readonly name: string;
  readonly url: string;
  /** Every source says it is up, its SDL was read and it is in the served schema. */
  readonly available: boolean;
  /** In the served schema right now. */
  readonly composed: boolean;
  readonly reason: string;
  readonly since: string;
  readonly checks: readonly AvailabilityCheck[];
  /** The versions of its schema serving now, most served first (more than one during a rollout). */
  readonly versions: readonly { readonly hash: string; readonly endpoints: number }[];
  /** A new version that does not compose; the last good one is served instead. */
  readonly rejectedVersion: { readonly hash: string; readonly errors: readonly string[] } | undefined;
}

/**
 * What changed in a subgraph between two consecutive states: SEEN (first state the
 * gateway knows of it), AVAILABLE / UNAVAILABLE (its `available`), COMPOSED / LEFT_OUT (its
 * `composed`), VERSIONS (the versions serving), REMOVED (it left the set of subgraphs).
 */
export type HistoryChange = 'SEEN' | 'AVAILABLE' | 'UNAVAILABLE' | 'COMPOSED' | 'LEFT_OUT' | 'VERSIONS' | 'REMOVED';

/** One transition of one subgraph, with its state after it. */
export interface HistoryEntry {
  /** RFC 3339. */
  readonly at: string;
  readonly subgraph: string;
  readonly changes: readonly HistoryChange[];
  readonly available: boolean;
  readonly composed: boolean;
  /** Hashes of the versions serving after it, most served first. */
  readonly versions: readonly string[];
  readonly reason: string;
}

/** A subgraph's figures over the last `window` (as far as the retained history reaches). */
export interface HistoryWindow {
  /** `1h` or `24h`. */
  readonly window: string;
  readonly unavailableMs: number;
  /** Transitions from available to unavailable. */
  readonly drops: number;
}

export interface SubgraphHistory {
  readonly subgraph: string;
  /** Now. */
  readonly available: boolean;
  /** At the start of the answer (`History.since`); undefined when the history does not reach back that far. */
  readonly availableAtSince?: boolean;
  readonly windows: readonly HistoryWindow[];
}

/** The answer of `affordances { history }`. */
export interface History {
  /** The start of what this answer covers (RFC 3339). */
  readonly since: string;
  /** History is complete from here on: the gateway's start, or the last entry the bounds dropped. */
  readonly retainedSince: string;
  /** Oldest first. */
  readonly entries: readonly HistoryEntry[];
  readonly subgraphs: readonly SubgraphHistory[];
}
