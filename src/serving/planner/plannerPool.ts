import type { QueryPlan } from '@apollo/query-planner';
import { LRUCache } from 'lru-cache';
import { PlannerThread, type PlannerBuild } from './plannerThread.js';

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

  build(id: string, supergraphSdl: string): PlannerBuild {
    const thread = this.buildThread();
    this.home.set(id, thread);
    return thread.build(id, supergraphSdl);
  }

  /**
   * Builds a supergraph's planner once on the thread builds go to next, and forgets it:
   * a thread's first build runs its code cold (about twice as slow), which should not be
   * the first outage's. Nothing waits for it.
   */
  warm(supergraphSdl: string): void {
    this.buildThread().build(`warm-up ${this.served ?? ''}`, supergraphSdl);
  }

  /** Plans on the thread that built the supergraph; one forgotten here is built again where builds go. */
  plan(id: string, supergraphSdl: string, query: string, operationName?: string): Promise<QueryPlan> {
    const thread = this.home.get(id);
    if (thread) return thread.plan(id, supergraphSdl, query, operationName);
    const again = this.buildThread();
    this.home.set(id, again);
    return again.build(id, supergraphSdl).built.then(() => again.plan(id, supergraphSdl, query, operationName));
  }

  /** The thread that does not hold the served supergraph's planner. */
  private buildThread(): PlannerThread {
    const busy = this.served === undefined ? undefined : this.home.get(this.served);
    return this.threads.find((t) => t !== busy) ?? this.threads[0];
  }

  async stop(): Promise<void> {
    await Promise.all(this.threads.map((thread) => thread.stop()));
  }
}
