import type { QueryPlan } from '@apollo/query-planner';
import type { PlannerSchema } from './plannerHost.js';

/** One planner build under way (see Planner.build). */
export interface PlannerBuild {
  /** The API schema, as soon as it is known (the main thread builds its own schemas meanwhile). */
  readonly schema: Promise<PlannerSchema>;
  /** Resolves once the planner is ready; both reject when the supergraph cannot be served. */
  readonly built: Promise<void>;
  /** Says it is no longer needed: skipped if it has not started yet. */
  cancel(): void;
}

/**
 * A build's promises as callers get them: `schema` settles with the build if the API
 * schema never came. Callers often wait for one of the two only; the other's rejection is
 * theirs to see when they wait for it, and no unhandled rejection meanwhile.
 */
export function plannerBuild(schema: Promise<PlannerSchema>, built: Promise<void>, cancel: () => void): PlannerBuild {
  const ready = Promise.race([schema, built.then(() => schema)]);
  ready.catch(() => {});
  built.catch(() => {});
  return { schema: ready, built, cancel };
}

/** Where supergraphs' query planners are built and operations planned: a planner thread, or the event loop itself. */
export interface Planner {
  /** Builds the planner of a supergraph; `id` names one SDL (a supergraph held under it is not built again). */
  build(id: string, supergraphSdl: string): PlannerBuild;
  /** Plans an operation (already validated) on a supergraph built here; one let go is built again. */
  plan(id: string, supergraphSdl: string, query: string, operationName?: string): Promise<QueryPlan>;
  stop(): Promise<void>;
}
