/** The answer of the `affordances` query; plain data, also sent on the change stream. */
export interface Affordances {
  readonly schemaVersion: string;
  readonly schemaLoadedAt: string;
  readonly available: readonly AvailableOperation[];
  readonly unavailable: readonly UnavailableOperation[];
  readonly subgraphs: readonly SubgraphStatus[];
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
}

export interface UnavailableOperation extends OperationSignature {
  readonly reason: string;
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
}
