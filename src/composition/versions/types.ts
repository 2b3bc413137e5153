/**
 * Public types of the common schema of a subgraph's versions: what goes in, what comes
 * out. The output is plain data (an AST and strings), so it crosses `postMessage` intact.
 */
import type { DocumentNode } from 'graphql';
import type { SchemaElement } from '../reduction/types.js';

/** One version of a subgraph's schema, as some of its endpoints (pods) serve it. */
export interface SchemaVersion {
  /** Hash of the SDL text (`hashSdl` in composeSupergraph.ts): the version's identity. */
  readonly hash: string;
  readonly typeDefs: DocumentNode;
  /**
   * How many endpoints serve it. The base version is the one most serve (ties: the
   * smallest hash); the common schema is the base without what some version lacks.
   */
  readonly endpoints: number;
}

/** An element of the base version left out of the common schema, and why. */
export interface VersionDifference {
  /** As the reduction spells coordinates (`element.*` in reduction/schemaElement.ts). */
  readonly element: SchemaElement;
  /**
   * In plain words, naming versions by the first 4 characters of their hash, e.g.
   * `argument email of root field Mutation.createCustomer is required in 9ab2 and unknown to 3f1c`
   * or `field Order.total returns type Money, which is left out`.
   */
  readonly detail: string;
}

export interface CommonSchema {
  /**
   * The base version without what some version lacks: what every version accepts, and
   * declares only what every version returns. The base document itself when nothing
   * differs.
   */
  readonly typeDefs: DocumentNode;
  /** Every element left out, direct differences first, then what they took along. */
  readonly differences: readonly VersionDifference[];
}
