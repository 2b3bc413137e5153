import type { QueryPlan } from '@apollo/query-planner';
import { LRUCache } from 'lru-cache';
import { InlinePlanner } from './inlinePlanner.js';
import type { Planner, PlannerBuild } from './planner.js';
import { PlannerThread } from './plannerThread.js';

export interface PlannerPoolOptions {
  /**
   * Supergraphs whose SDL is shorter than this get their planner on the event loop (a
   * build of at most tens of ms, a plan well under one); longer ones on planner threads,
   * started when first needed. 0: always on threads.
   */
  inlineBelowChars: number;
}

/**
 * Where each supergraph's query planner lives. A small supergraph's is built and run on
 * the event loop (InlinePlanner): it blocks it no longer than a build step does, and
 * costs no thread. A large one's goes to one of two planner threads: a build keeps its
 * thread busy for most of a second at a hundred subgraphs, and an operation planned on
 * that thread meanwhile would wait for it; so a new supergraph is built on the thread
 * that does not hold the planner of the one served now, and operations on the served
 * supergraph are planned while it builds.
 */
export class PlannerPool {
  private readonly inline = new InlinePlanner();
  private readonly threads = [new PlannerThread(), new PlannerThread()] as const;
  /** Which planner holds the planner of a supergraph (each keeps the last few). */
  private readonly home = new LRUCache<string, Planner>({ max: 32 });
  private served?: string;

  constructor(private readonly options: PlannerPoolOptions) {}

  /** Tells the pool which supergraph is served now: its thread is kept free of builds. */
  serving(id: string): void {
    this.served = id;
  }

  build(id: string, supergraphSdl: string): PlannerBuild {
    const planner = this.plannerFor(supergraphSdl);
    this.home.set(id, planner);
    return planner.build(id, supergraphSdl);
  }

  /**
   * Builds a supergraph's planner once on the thread builds go to next, and forgets it:
   * a thread's first build runs its code cold (about twice as slow), which should not be
   * the first outage's. Nothing waits for it; a supergraph planned inline needs none.
   */
  warm(supergraphSdl: string): void {
    if (this.isInline(supergraphSdl)) return;
    this.buildThread().build(`warm-up ${this.served ?? ''}`, supergraphSdl);
  }

  /** Plans where the supergraph was built; one forgotten here is built again where builds go. */
  plan(id: string, supergraphSdl: string, query: string, operationName?: string): Promise<QueryPlan> {
    const home = this.home.get(id);
    if (home) return home.plan(id, supergraphSdl, query, operationName);
    const again = this.plannerFor(supergraphSdl);
    this.home.set(id, again);
    return again.build(id, supergraphSdl).built.then(() => again.plan(id, supergraphSdl, query, operationName));
  }

  /** Where a supergraph's planner is built: `inline` on the event loop, or on a planner `thread`. */
  placement(supergraphSdl: string): 'inline' | 'thread' {
    return this.isInline(supergraphSdl) ? 'inline' : 'thread';
  }

  async stop(): Promise<void> {
    await Promise.all([this.inline.stop(), ...this.threads.map((thread) => thread.stop())]);
  }

  private isInline(supergraphSdl: string): boolean {
    return supergraphSdl.length < this.options.inlineBelowChars;
  }

  private plannerFor(supergraphSdl: string): Planner {
    return this.isInline(supergraphSdl) ? this.inline : this.buildThread();
  }

  /** The thread that does not hold the served supergraph's planner. */
  private buildThread(): PlannerThread {
    const busy = this.served === undefined ? undefined : this.home.get(this.served);
    return this.threads.find((t) => t !== busy) ?? this.threads[0];
  }
}
