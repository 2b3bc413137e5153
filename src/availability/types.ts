/**
 * The availability model. Sources observe the world (probes, Kubernetes) and report
 * checks; the availability state folds every source's checks into one verdict per
 * subgraph. Data flows one way: sources → availability state → composition.
 */

/** One thing a subgraph needs, as one source last saw it. */
export interface CheckStatus {
  /** Stable within its source, e.g. "http customers" or "grpc invoices-service". */
  readonly id: string;
  /** The subgraph this check gates. A backend shared by two subgraphs yields two checks. */
  readonly subgraph: string;
  readonly ok: boolean;
  /** Human-readable state, e.g. "connect ECONNREFUSED 127.0.0.1:4001". */
  readonly reason: string;
  /** When `ok` last changed. */
  readonly since: Date;
  /** Replica counts behind the check, when it is about a Deployment. */
  readonly replicas?: { readonly available: number; readonly desired: number };
  /** What the source knows of the version being deployed, when it knows (a Deployment the subgraph runs as). */
  readonly rollout?: RolloutStatus;
  /** The endpoints serving the subgraph right now, when the source sees them one by one (EndpointSlices). */
  readonly endpoints?: readonly ServingEndpoint[];
  /** The backend (a key of the config's `backends`) the check is about; absent when it is about the subgraph itself. */
  readonly backend?: string;
}

/** The version signal of a Deployment: composition re-reads the subgraph's SDL whenever `revision` changes. */
export interface RolloutStatus {
  /** Changes with every step of a rollout (generation, observed generation, revision, updated replicas). */
  readonly revision: string;
  /** True while old and new replicas may both serve (`kubectl rollout status` would still wait). */
  readonly inProgress: boolean;
  /** E.g. "rolling out revision 3: 1 of 3 replicas updated". */
  readonly detail: string;
}

/** One endpoint (pod) a subgraph is served from, whose SDL composition can read on its own. */
export interface ServingEndpoint {
  /** Stable for the endpoint's life, e.g. the pod's name. */
  readonly id: string;
  /** Its GraphQL endpoint, e.g. http://10.0.0.7:4001/graphql. */
  readonly url: string;
}

/** A check together with the source that made it. */
export interface SourcedCheck extends CheckStatus {
  readonly source: string;
}

/**
 * Something that observes availability. Level-triggered: `onChange` only says "look
 * again"; the state then reads `snapshot()` of every source, so a lost or repeated
 * notification cannot leave it wrong.
 */
export interface AvailabilitySource {
  /** Short name shown in statuses and logs: "probe", "kubernetes", "static". */
  readonly name: string;
  /** Starts observing; resolves once a first complete observation is in. */
  start(onChange: () => void): Promise<void>;
  /** Every check this source currently holds. */
  snapshot(): readonly CheckStatus[];
  /** Stops observing and releases connections and timers. */
  stop(): Promise<void>;
}

/** The verdict for one subgraph. */
export interface SubgraphAvailability {
  readonly name: string;
  /** True when every check of every source is ok and the settle time has passed. */
  readonly available: boolean;
  /** Why it is unavailable (or settling); "all checks pass" when available. */
  readonly reason: string;
  /** When `available` last changed. */
  readonly since: Date;
  /** When a subgraph that is up again will be re-added; absent unless settling. */
  readonly settlingUntil?: Date;
  readonly checks: readonly SourcedCheck[];
}

export type AvailabilityMap = ReadonlyMap<string, SubgraphAvailability>;
