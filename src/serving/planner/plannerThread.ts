import { Worker } from 'node:worker_threads';
import type { QueryPlan } from '@apollo/query-planner';
import { workerScript } from '../../platform/workerScript.js';
import { plannerBuild, type Planner, type PlannerBuild } from './planner.js';
import { plannerError, type PlannerSchema } from './plannerHost.js';
import type { PlannerReply, PlannerRequest } from './plannerMessages.js';

const SCRIPT = workerScript('plannerWorker', import.meta.url);

interface Pending {
  readonly onSchema?: (schema: PlannerSchema) => void;
  resolve(value: QueryPlan | undefined): void;
  reject(error: Error): void;
}

/** A plan asked of a supergraph the thread does not hold (evicted, or the thread restarted). */
class NotHeld extends Error {}

/**
 * The serving core's planner thread: federation's supergraph and query planner for each
 * served supergraph live on a worker thread, where building them (most of a second at a
 * hundred subgraphs) does not block the event loop, and operations are planned there.
 * Query plans are plain data and come back by structured clone. A thread that dies is
 * started again on the next call, and a supergraph it no longer holds is built again.
 */
export class PlannerThread implements Planner {
  private worker?: Worker;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  private stopped = false;

  /**
   * Builds the planner of a supergraph: `schema` resolves with its API schema as soon as
   * the thread has it (the main thread builds its own schemas meanwhile), `built` once
   * the planner is ready. Both reject when the supergraph cannot be served. `cancel`
   * says it is no longer needed: the thread skips it if it has not started it yet.
   */
  build(id: string, supergraphSdl: string): PlannerBuild {
    let onSchema!: (schema: PlannerSchema) => void;
    const schema = new Promise<PlannerSchema>((resolve) => (onSchema = resolve));
    const { seq, reply } = this.send({ kind: 'build', id, supergraphSdl }, onSchema);
    return plannerBuild(
      schema,
      reply.then(() => undefined),
      () => {
        if (this.pending.has(seq)) this.worker?.postMessage({ kind: 'cancel', seq } satisfies PlannerRequest);
      },
    );
  }

  /** Plans an operation (already validated) on a supergraph built here before. */
  async plan(id: string, supergraphSdl: string, query: string, operationName?: string): Promise<QueryPlan> {
    const request = { kind: 'plan', id, query, operationName } as const;
    try {
      return (await this.call(request))!;
    } catch (error) {
      if (!(error instanceof NotHeld)) throw error;
      await this.build(id, supergraphSdl).built;
      return (await this.call(request))!;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.worker?.terminate();
    this.fail(new Error('the gateway is stopping'));
  }

  private call(request: Omit<Extract<PlannerRequest, { kind: 'plan' }>, 'seq'>): Promise<QueryPlan | undefined> {
    return this.send(request).reply;
  }

  /** Posts a request; its sequence number (to cancel it by) and its reply. */
  private send(
    request:
      Omit<Extract<PlannerRequest, { kind: 'build' }>, 'seq'> | Omit<Extract<PlannerRequest, { kind: 'plan' }>, 'seq'>,
    onSchema?: (schema: PlannerSchema) => void,
  ): { seq: number; reply: Promise<QueryPlan | undefined> } {
    const seq = ++this.seq;
    if (this.stopped) return { seq, reply: Promise.reject(new Error('the gateway is stopping')) };
    const reply = new Promise<QueryPlan | undefined>((resolve, reject) => {
      this.pending.set(seq, { onSchema, resolve, reject });
      this.thread().postMessage({ ...request, seq } as PlannerRequest);
    });
    return { seq, reply };
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    if (!SCRIPT) throw new Error('the planner thread script is missing from this build');
    const worker = new Worker(SCRIPT, { eval: true });
    worker.unref();
    worker.on('message', (reply: PlannerReply) => this.receive(reply));
    const lost = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.fail(error);
    };
    worker.on('error', (error) => lost(error));
    worker.on('exit', (code) => lost(new Error(`the planner thread exited (code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private receive(reply: PlannerReply): void {
    const pending = this.pending.get(reply.seq);
    if (!pending) return;
    if (reply.kind === 'schema') return pending.onSchema?.(reply);
    this.pending.delete(reply.seq);
    if (reply.kind === 'plan') return pending.resolve(reply.plan);
    if (reply.kind === 'built') return pending.resolve(undefined);
    pending.reject(reply.unknown ? new NotHeld(reply.message) : plannerError(reply));
  }

  private fail(error: Error): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    pending.forEach((p) => p.reject(error));
  }
}
