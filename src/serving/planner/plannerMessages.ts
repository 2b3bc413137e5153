import type { QueryPlan } from '@apollo/query-planner';
import type { PlannerFailure, PlannerSchema } from './plannerHost.js';

/**
 * The messages between the serving core and its planner thread (see PlannerThread):
 * plain data, so they cross threads by structured clone.
 */
export type PlannerRequest =
  | { readonly kind: 'build'; readonly seq: number; readonly id: string; readonly supergraphSdl: string }
  | {
      readonly kind: 'plan';
      readonly seq: number;
      readonly id: string;
      readonly query: string;
      readonly operationName?: string;
    }
  /** The build `seq` is no longer needed: skipped if the thread has not started it. */
  | { readonly kind: 'cancel'; readonly seq: number };

export type PlannerReply =
  /** A build's first answer: what the main thread needs to build its side of the state. */
  | ({ readonly kind: 'schema'; readonly seq: number } & PlannerSchema)
  /** A build's last answer: the planner is ready. */
  | { readonly kind: 'built'; readonly seq: number }
  | { readonly kind: 'plan'; readonly seq: number; readonly plan: QueryPlan }
  | ({ readonly kind: 'failed'; readonly seq: number } & PlannerFailure);
