import type { QueryPlan } from '@apollo/query-planner';
import { plannerBuild, type Planner, type PlannerBuild } from './planner.js';
import { isPlannerFailure, plannerError, PlannerHost, type PlannerSchema } from './plannerHost.js';

/**
 * Planners built and run on the event loop itself, for supergraphs small enough that a
 * build blocks it for no longer than one of the serving core's build steps (PlannerPool
 * decides). It saves the planner threads' memory (a V8 isolate each, about 25 MB with a
 * small supergraph): most of what this gateway keeps beyond stock Apollo Gateway.
 */
export class InlinePlanner implements Planner {
  private readonly host = new PlannerHost();
  private stopped = false;

  build(id: string, supergraphSdl: string): PlannerBuild {
    let cancelled = false;
    let onSchema!: (schema: PlannerSchema) => void;
    const schema = new Promise<PlannerSchema>((resolve) => (onSchema = resolve));
    // In a turn of its own, as a build step of the serving core: the caller can cancel it before.
    const built = new Promise<void>((resolve, reject) =>
      setImmediate(() => {
        if (this.stopped) return reject(new Error('the gateway is stopping'));
        if (cancelled) return reject(new Error('cancelled'));
        const failed = this.host.build(id, supergraphSdl, onSchema);
        if (failed) reject(plannerError(failed));
        else resolve();
      }),
    );
    return plannerBuild(schema, built, () => (cancelled = true));
  }

  async plan(id: string, supergraphSdl: string, query: string, operationName?: string): Promise<QueryPlan> {
    if (this.stopped) throw new Error('the gateway is stopping');
    let plan = this.host.plan(id, query, operationName);
    if (isPlannerFailure(plan) && plan.unknown) {
      await this.build(id, supergraphSdl).built;
      plan = this.host.plan(id, query, operationName);
    }
    if (isPlannerFailure(plan)) throw plannerError(plan);
    return plan;
  }

  async stop(): Promise<void> {
    this.stopped = true;
  }
}
