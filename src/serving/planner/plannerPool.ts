import type { QueryPlan } from '@apollo/query-planner';
import { LRUCache } from 'lru-cache';
import { PlannerThread, type PlannerSchema } from './plannerThread.js';

/**
 * Two planner threads. A planner build keeps its thread busy for most of a second at a
 * hundred subgraphs, and an operation planned on that thread meanwhile would wait for it;
 * so a new supergraph is built on the thread that does not hold the planner of the one
 * served now, and operations on the served supergraph are planned while it builds.
 */
export class PlannerPool {
  private readonly threads = [new PlannerThread(), new PlannerThread()] as const;
  /** Which thread holds the planner of a supergraph (threads keep the last few each). */
  private readonly home = new LRUCache<string, PlannerThread>({ max: 32 });
  private served?: string;

  /** Tells the pool which supergraph is served now: its thread is kept free of builds. */
  serving(id: string): void {
    this.served = id;
  }

  build(id: string, supergraphSdl: string): { schema: Promise<PlannerSchema>; built: Promise<void> } {
    const busy = this.served === undefined ? undefined : this.home.get(this.served);
    const thread = this.threads.find((t) => t !== busy) ?? this.threads[0];
    this.home.set(id, thread);
    return thread.build(id, supergraphSdl);
  }

  /**
   * Builds a supergraph's planner once on the thread builds go to next, and forgets it:
   * a thread's first build runs its code cold (about twice as slow), which should not be
   * the first outage's.
   */
  warm(supergraphSdl: string): void {
    const busy = this.served === undefined ? undefined : this.home.get(this.served);
    const thread = this.threads.find((t) => t !== busy) ?? this.threads[0];
    const { schema, built } = thread.build(`warm-up ${this.served ?? ''}`, supergraphSdl);
    // Nothing waits for it: a failure (the gateway stopping meanwhile) is of no consequence.
    schema.catch(() => {});
    built.catch(() => {});
  }

  /** Plans on the thread that built the supergraph; one that lost it (restarted) builds it again. */
  plan(id: string, supergraphSdl: string, query: string, operationName?: string): Promise<QueryPlan> {
    let thread = this.home.get(id);
    if (!thread) {
      // Forgotten here: build it again where builds go, then plan there.
      const { built } = this.build(id, supergraphSdl);
      thread = this.home.get(id)!;
      return built.then(() => thread!.plan(id, supergraphSdl, query, operationName));
    }
    return thread.plan(id, supergraphSdl, query, operationName);
  }

  async stop(): Promise<void> {
    await Promise.all(this.threads.map((thread) => thread.stop()));
  }
}
