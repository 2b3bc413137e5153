import { parse } from 'graphql';

/** SDL of the affordances subgraph, composed into every supergraph. */
export const affordancesTypeDefs = parse(/* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: [])

  type Query {
    """
    What this endpoint can do right now: the operations a client can call, those it
    cannot and why, and the status of every subgraph. Changes whenever availability does.
    """
    affordances: Affordances!
  }

  type Affordances {
    "Identifies the served schema; changes with every schema swap."
    schemaVersion: String!
    "When the served schema was loaded (RFC 3339)."
    schemaLoadedAt: String!
    "Root operations that can be called now."
    available: [AvailableOperation!]!
    "Root operations known from subgraphs that are not available, with the reason."
    unavailable: [UnavailableOperation!]!
    subgraphs: [SubgraphStatus!]!
    "Elements of available subgraphs left out of the schema because they need what is gone."
    removed: [RemovedElement!]!
    "How the served schema came about."
    composition: CompositionSummary!
    "Whom these affordances are for, when the gateway authorizes (auth configured); null otherwise."
    caller: CallerSummary
    """
    The gateway's record of subgraph transitions (in memory, bounded by config history),
    from since on: an RFC 3339 time or a duration back from now (90s, 15m, 1h, 7d);
    everything retained when omitted. subgraph narrows it to one.
    """
    history(since: String, subgraph: String): History!
  }

  type History {
    "The start of what this answer covers (RFC 3339)."
    since: String!
    "History is complete from here on (RFC 3339): the gateway's start, or the last entry its bounds dropped."
    retainedSince: String!
    "Transitions, oldest first."
    entries: [HistoryEntry!]!
    "Per subgraph: its figures over the last hour and day, as far as the retained history reaches."
    subgraphs: [SubgraphHistory!]!
  }

  "What changed in a subgraph between two consecutive states."
  enum HistoryChange {
    "The first state the gateway knows of it."
    SEEN
    AVAILABLE
    UNAVAILABLE
    "It entered the served schema."
    COMPOSED
    "It left the served schema."
    LEFT_OUT
    "The versions of its schema serving changed."
    VERSIONS
    "It is no longer one of the gateway's subgraphs."
    REMOVED
  }

  type HistoryEntry {
    "When (RFC 3339)."
    at: String!
    subgraph: String!
    changes: [HistoryChange!]!
    "Its state after the transition."
    available: Boolean!
    composed: Boolean!
    "Hashes of the versions serving after it, most served first."
    versions: [String!]!
    reason: String!
  }

  type SubgraphHistory {
    subgraph: String!
    "Available now."
    available: Boolean!
    "Available at History.since; null when the history does not reach back that far."
    availableAtSince: Boolean
    "Figures over the last 1h and 24h."
    windows: [HistoryWindow!]!
  }

  type HistoryWindow {
    "1h or 24h."
    window: String!
    "Time unavailable in the window, in ms."
    unavailableMs: Int!
    "Transitions from available to unavailable in the window."
    drops: Int!
  }

  type CallerSummary {
    "A verified token came with the request."
    authenticated: Boolean!
    "The scopes it holds of those the schema requires, sorted."
    scopes: [String!]!
  }

  "The kind of reason an operation is unavailable."
  enum UnavailableReasonKind {
    "This caller needs a token for it."
    UNAUTHENTICATED
    "This caller's token lacks a scope it requires."
    FORBIDDEN
    "Its subgraph, or one it needs, is down."
    SUBGRAPH_DOWN
    "Not every version of its subgraph serving now has it."
    ROLLING_OUT
    "Composition left it out."
    LEFT_OUT
    "Its subgraph is not configured."
    NOT_CONFIGURED
  }

  "An element of an available subgraph left out of the served schema."
  type RemovedElement {
    "Schema coordinate, e.g. Product.shipping or Query.items(limit:)."
    coordinate: String!
    "field, type, argument, inputField, enumValue, key, directive, implements, unionMember."
    kind: String!
    "The subgraph it was removed from."
    subgraph: String!
    "What it needs that is gone."
    needs: RemovedNeed
    reason: String!
  }

  type RemovedNeed {
    subgraph: String!
    "The element there that is gone, when one is the cause."
    coordinate: String
  }

  enum CompositionState {
    "Every available subgraph is served as it is."
    COMPLETE
    "Some elements of available subgraphs are left out, or whole subgraphs dropped, so that the rest composes."
    REDUCED
    "The available subgraphs do not compose even reduced: the schema served before is kept."
    PREVIOUS
  }

  type CompositionSummary {
    state: CompositionState!
    "Composition's errors, when state is PREVIOUS or subgraphs were dropped."
    errors: [String!]!
  }

  enum OperationKind {
    QUERY
    MUTATION
  }

  type OperationArgument {
    name: String!
    "GraphQL type, e.g. ID! or [String!]."
    type: String!
    "Default as a GraphQL literal, when there is one."
    defaultValue: String
    description: String
  }

  type AvailableOperation {
    name: String!
    kind: OperationKind!
    "The subgraph that serves it."
    subgraph: String!
    arguments: [OperationArgument!]!
    returnType: String!
    description: String
    "A ready-to-run document: its variables are the operation's arguments."
    example: String!
    "Fields it could select that are left out now (see Affordances.removed), on the types it reaches."
    removedFields: [String!]!
  }

  type UnavailableOperation {
    name: String!
    kind: OperationKind!
    subgraph: String!
    arguments: [OperationArgument!]!
    returnType: String!
    description: String
    "Why it cannot be called now."
    reason: String!
    "The kind of that reason: about this caller (UNAUTHENTICATED, FORBIDDEN) or about availability."
    reasonKind: UnavailableReasonKind!
    "Since when (RFC 3339)."
    since: String!
  }

  type SubgraphStatus {
    name: String!
    url: String!
    "Up by every source, SDL read, and in the served schema."
    available: Boolean!
    "In the served schema right now."
    composed: Boolean!
    reason: String!
    "When availability last changed (RFC 3339)."
    since: String!
    checks: [AvailabilityCheck!]!
    "The versions of its schema serving now, most served first: more than one during a rollout, none while down."
    versions: [SubgraphVersion!]!
    "A new version that does not compose with the other subgraphs; its last good version is served instead."
    rejectedVersion: RejectedVersion
  }

  type SubgraphVersion {
    "Hash of the version's SDL."
    hash: String!
    "Endpoints (pods) serving it; 0 when they cannot be read one by one (read through the Service)."
    endpoints: Int!
  }

  type RejectedVersion {
    hash: String!
    "What composition said of it."
    errors: [String!]!
  }

  type AvailabilityCheck {
    "The availability source: probe, kubernetes, static."
    source: String!
    id: String!
    ok: Boolean!
    reason: String!
    since: String!
    "Replica counts behind the check, when it is about a Deployment (the Kubernetes source)."
    replicas: ReplicaCounts
    """
    The backend (a key of the config's backends, in the subgraph's dependsOn) this check is
    about: its gRPC probe, its Deployments, StatefulSets or Service. Null when the check is
    about the subgraph itself.
    """
    backend: String
  }

  type ReplicaCounts {
    available: Int!
    desired: Int!
  }
`);
