import { Worker } from 'node:worker_threads';
import { workerScript } from '../platform/workerScript.js';
import type { CompositionJob, CompositionJobResult } from './composeSdl.js';

/**
 * Composes supergraphs on a worker thread, one job at a time, newest batch first: the
 * supergraph manager hands it the sets likely to be needed next (each subgraph down, or
 * back) so that when availability changes the composition is already in the cache.
 * Handing it a new batch drops the queued jobs of the previous one, and work starts only
 * once batches have stopped coming for `quietMs`: while availability is changing, the CPU
 * goes to swapping schemas rather than to sets that are already out of date. The worker
 * (a V8 isolate with its own copy of the composition code, tens of MB) exits once it has
 * had nothing to do for `idleMs` (its ~25 MB are a seventh of the gateway's memory under
 * load; starting it again costs a few hundred ms of a second core), and is started again
 * for the next batch.
 */
export class BackgroundCompositions {
  private queue: CompositionJob[] = [];
  /** The batch submitted last, not yet listed into `queue`. */
  private batch?: () => readonly CompositionJob[];
  private worker?: Worker;
  private running?: CompositionJob;
  private idle: (() => void)[] = [];
  private idleTimer?: NodeJS.Timeout;
  private quietTimer?: NodeJS.Timeout;
  private stopped = false;
  private held = false;

  constructor(
    private readonly onResult: (result: CompositionJobResult) => void,
    private readonly onError: (error: unknown) => void = () => {},
    private readonly idleMs = 1000,
    private readonly quietMs = 500,
  ) {}

  /**
   * Replaces the queued jobs with the batch `jobs` lists (the running one finishes);
   * starts them once no other batch follows for `quietMs`. The list is made only then:
   * with a hundred subgraphs it takes tens of ms of the event loop, which a change
   * followed by others within `quietMs` (the one that matters for reaction time) does
   * not pay for.
   */
  submit(jobs: () => readonly CompositionJob[]): void {
    if (this.stopped || !WORKER_SCRIPT) return;
    this.queue = [];
    this.batch = jobs;
    this.nextAfterQuiet();
  }

  /**
   * Holds back the next jobs (the running one finishes) while `held`: the gateway holds
   * them while it builds a serving state, which needs the second core more. Released, they
   * start after `quietMs` more without a batch: a build is part of a change, and another
   * change often follows (a build at a hundred subgraphs took twice as long beside a
   * composition).
   */
  hold(held: boolean): void {
    this.held = held;
    if (!held && !this.stopped) this.nextAfterQuiet();
  }

  private nextAfterQuiet(): void {
    clearTimeout(this.quietTimer);
    this.quietTimer = setTimeout(() => this.next(), this.quietMs);
    this.quietTimer.unref();
  }

  /** Jobs queued or running. */
  pending(): number {
    return this.queue.length + (this.batch ? 1 : 0) + (this.running ? 1 : 0);
  }

  /** Resolves once nothing is queued or running. */
  whenIdle(): Promise<void> {
    if (this.pending() === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.queue = [];
    this.batch = undefined;
    clearTimeout(this.idleTimer);
    clearTimeout(this.quietTimer);
    await this.worker?.terminate();
    this.worker = undefined;
    this.running = undefined;
    this.settleIdle();
  }

  private next(): void {
    if (this.running || this.stopped || this.held) return;
    if (this.batch) {
      this.queue = this.batch().slice();
      this.batch = undefined;
    }
    const job = this.queue.shift();
    if (!job) {
      this.settleIdle();
      // Nothing left: let the worker's memory go, unless more work comes soon.
      clearTimeout(this.idleTimer);
      this.idleTimer = setTimeout(() => {
        void this.worker?.terminate();
        this.worker = undefined;
      }, this.idleMs);
      this.idleTimer.unref();
      return;
    }
    clearTimeout(this.idleTimer);
    this.running = job;
    this.workerThread().postMessage(job);
  }

  private workerThread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SCRIPT!, { eval: true });
    // Background work: it must never keep the process alive.
    worker.unref();
    worker.on('message', (result: CompositionJobResult) => {
      this.running = undefined;
      if (!this.stopped) this.onResult(result);
      this.next();
    });
    worker.on('error', (error) => {
      this.onError(error);
      this.worker = undefined;
      this.running = undefined;
      this.next();
    });
    this.worker = worker;
    return worker;
  }

  private settleIdle(): void {
    const waiting = this.idle;
    this.idle = [];
    waiting.forEach((resolve) => resolve());
  }
}

/** Absent (a bundle without the worker's file), background composition is off and compositions happen when needed. */
const WORKER_SCRIPT = workerScript('compositionWorker', import.meta.url);
