/**
 * Public types of the reduction: what goes in, what comes out. Every output type is plain
 * data (strings, numbers, arrays, objects), so a result computed in a worker thread
 * crosses `postMessage` intact.
 */
import type { DocumentNode } from 'graphql';

/** A subgraph that is up, as composition takes it. */
export interface AvailableSubgraph {
  readonly name: string;
  readonly url: string;
  readonly typeDefs: DocumentNode;
}

/** A subgraph that is down, with its last-known schema when there is one. */
export interface UnavailableSubgraph {
  readonly name: string;
  readonly typeDefs?: DocumentNode | undefined;
}

export interface ReductionInput {
  readonly available: readonly AvailableSubgraph[];
  /** Last-known SDLs of the subgraphs that are down (missing for some is fine). */
  readonly unavailable: readonly UnavailableSubgraph[];
  /** Compositions tried at most before giving up (default 64). */
  readonly maxRounds?: number;
  /**
   * Subgraphs served as they are now (in the supergraph served before): a conflict that no
   * outage explains (a subgraph coming up with a type that contradicts another) is taken
   * out of the others first, so a newcomer cannot take fields away from what is served.
   */
  readonly established?: readonly string[];
}

/**
 * What was removed, by GraphQL schema coordinate, plus the forms the spec has none for:
 * `key` is `Product @key(fields: "id sku")`, `directive` is `Query.top @provides`,
 * `implements` is `Product implements Node`, `unionMember` is `Result | Product`.
 */
export type RemovedKind =
  'type' | 'field' | 'inputField' | 'argument' | 'enumValue' | 'key' | 'directive' | 'implements' | 'unionMember';

/** A schema element of one subgraph: the unit the reduction removes. */
export interface SchemaElement {
  readonly kind: RemovedKind;
  readonly coordinate: string;
}

/**
 * Where the needed element is gone: its subgraph is `down` (unavailable), was `dropped`
 * (did not compose), or the element was `removed` from it (see that removal).
 */
export type NeedState = 'down' | 'dropped' | 'removed';

/** The element a removed one needed, and the subgraph it had to come from. */
export interface Need {
  readonly subgraph: string;
  /** Undefined when the whole subgraph is what is missing. */
  readonly coordinate?: string;
  readonly state: NeedState;
}

/** A composition (or subgraph validation) error as data: `code` is `extensions.code`. */
export interface CompositionErrorValue {
  readonly code: string;
  readonly message: string;
}

/** Why an element was removed: the rule that fired, with what it needed. */
export type RemovalCause =
  /** An @external field that no subgraph still served resolves. */
  | { readonly rule: 'externalWithoutOwner'; readonly needs: Need }
  /** Its @requires selection mentions a field that is gone. */
  | { readonly rule: 'requires'; readonly needs: Need }
  /** The @provides of the field mentions a field that is gone (only the directive goes). */
  | { readonly rule: 'provides'; readonly needs: Need }
  /** The @key selection mentions a field that is gone. */
  | { readonly rule: 'key'; readonly needs: Need }
  /** It returns, takes or contains a type that is gone. */
  | { readonly rule: 'typeGone'; readonly needs: Need }
  /** An @interfaceObject whose interface no subgraph still served declares. */
  | { readonly rule: 'interfaceObject'; readonly needs: Need }
  /** Everything in it was removed. */
  | { readonly rule: 'emptied' }
  /** Composition rejected the reduced subgraphs and pointed at this element. */
  | { readonly rule: 'composition'; readonly error: CompositionErrorValue }
  /**
   * Not every version of the subgraph serving now has it (a rollout): `serving` says which
   * versions serve, `detail` how they differ here. Made by versions/, not by the reduction.
   */
  | { readonly rule: 'versions'; readonly serving: string; readonly detail: string };

/** One removed element. */
export interface Removal extends SchemaElement {
  /** The subgraph it was removed from. */
  readonly subgraph: string;
  readonly cause: RemovalCause;
  /** Shortcut to `cause.needs`: undefined for `emptied`, `composition` and `versions`. */
  readonly needs: Need | undefined;
  /** The cause in words, saying of a needed subgraph only that it is down (see describeRemoval). */
  readonly reason: string;
}

/** An available subgraph as it is served after the reduction. */
export type ReducedSubgraph =
  | { readonly name: string; readonly url: string; readonly changed: false }
  | {
      readonly name: string;
      readonly url: string;
      readonly changed: true;
      /** The reduced schema, printed: parse it (reducedDefinitions does) to compose. */
      readonly sdl: string;
    };

/** An available subgraph left out whole: nothing of it could be made to compose. */
export interface DroppedSubgraph {
  readonly name: string;
  readonly errors: readonly CompositionErrorValue[];
}

/**
 * `unchanged`: the input composes as it is. `reduced`: the kept subgraphs, reduced,
 * compose. `nothingComposes`: no subset was found that composes (`errors` say why).
 */
export type ReductionOutcome =
  | { readonly kind: 'unchanged'; readonly supergraphSdl: string }
  | { readonly kind: 'reduced'; readonly supergraphSdl: string }
  | { readonly kind: 'nothingComposes'; readonly errors: readonly CompositionErrorValue[] };

export interface ReductionResult {
  readonly outcome: ReductionOutcome;
  /** The available subgraphs kept, in name order (empty when nothing composes). */
  readonly subgraphs: readonly ReducedSubgraph[];
  /** Every element removed from a kept subgraph, in the order decided. */
  readonly removed: readonly Removal[];
  readonly dropped: readonly DroppedSubgraph[];
  /** Compositions run (1 when the input composed). */
  readonly rounds: number;
}
