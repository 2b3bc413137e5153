import {
  defaultPrintOptions,
  operationFromDocument,
  printSchema,
  shallowOrderPrintedDefinitions,
  Supergraph,
  type Schema,
} from '@apollo/federation-internals';
import { QueryPlanner, type QueryPlan } from '@apollo/query-planner';
import { GraphQLError, parse } from 'graphql';
import { LRUCache } from 'lru-cache';
import { SUPPORTED_FEATURES } from './supportedFeatures.js';

/** What the main thread needs of a supergraph to validate and execute on it. */
export interface PlannerSchema {
  /** The API schema printed as federation prints it. */
  readonly apiSdl: string;
  readonly subgraphs: readonly { readonly name: string; readonly url: string }[];
}

/** Why a build or a plan failed, as plain data (it crosses threads by structured clone). */
export interface PlannerFailure {
  readonly failed: true;
  readonly message: string;
  /** Set when a plan was asked of a supergraph no longer held: build it again. */
  readonly unknown?: boolean;
  /** The GraphQL error's extensions, when planning refused the operation with one. */
  readonly extensions?: Record<string, unknown>;
}

interface Held {
  readonly planner: QueryPlanner;
  readonly apiSchema: Schema;
  readonly schema: PlannerSchema;
}

/**
 * Federation's supergraphs and query planners, built and held, and operations planned on
 * them: what a planner thread runs, and what the event loop runs itself for supergraphs
 * small enough (see PlannerPool). Failures are values, the same wherever it runs.
 */
export class PlannerHost {
  /**
   * Planners of the supergraphs built here lately. The serving core keeps 4 states and
   * builds on two threads in turn, so 3 each cover them and one being built; a planner is
   * tens of MB at a hundred subgraphs. One asked for after it was let go is built again.
   */
  private readonly planners = new LRUCache<string, Held>({ max: 3 });

  /**
   * Builds the supergraph's planner (unless it is held already: ids name one SDL each).
   * `onSchema` gets the API schema as soon as it is known, before the planner is built.
   */
  build(id: string, supergraphSdl: string, onSchema: (schema: PlannerSchema) => void): PlannerFailure | undefined {
    try {
      const known = this.planners.get(id);
      if (known) {
        onSchema(known.schema);
        return undefined;
      }
      // Our own composition produced and validated it; validating again costs as much as the build.
      const supergraph = Supergraph.build(supergraphSdl, {
        validateSupergraph: false,
        supportedFeatures: new Set(SUPPORTED_FEATURES),
      });
      const apiSchema = supergraph.apiSchema();
      const apiSdl = printSchema(apiSchema, shallowOrderPrintedDefinitions(defaultPrintOptions));
      const schema = { apiSdl, subgraphs: supergraph.subgraphsMetadata() };
      onSchema(schema);
      this.planners.set(id, { planner: new QueryPlanner(supergraph), apiSchema, schema });
      return undefined;
    } catch (error) {
      return failure(error);
    }
  }

  /** Plans an operation (already validated) on a supergraph held here. */
  plan(id: string, query: string, operationName: string | undefined): QueryPlan | PlannerFailure {
    const held = this.planners.get(id);
    if (!held) return { failed: true, message: 'supergraph not held', unknown: true };
    try {
      const operation = operationFromDocument(held.apiSchema, parse(query), { operationName });
      return held.planner.buildQueryPlan(operation);
    } catch (error) {
      return failure(error);
    }
  }
}

function failure(error: unknown): PlannerFailure {
  const extensions = error instanceof GraphQLError ? { ...error.extensions } : undefined;
  return { failed: true, message: (error as Error).message ?? String(error), ...(extensions && { extensions }) };
}

export const isPlannerFailure = (value: unknown): value is PlannerFailure =>
  typeof value === 'object' && value !== null && (value as Partial<PlannerFailure>).failed === true;

/** The error a failure is thrown as on the main thread: a GraphQL error when planning refused the operation with one. */
export const plannerError = (failure: PlannerFailure): Error =>
  failure.extensions
    ? new GraphQLError(failure.message, { extensions: failure.extensions })
    : new Error(failure.message);
