import { Worker } from 'node:worker_threads';
import { workerScript } from '../../../src/platform/workerScript.js';
import type { PgliteReply, PgliteRequest } from './pgliteMessages.js';

const SCRIPT = workerScript('pgliteWorker', import.meta.url);

/** A statement PGlite refused, with its SQLSTATE (`code`), as `pg` reports one. */
export class PgliteError extends Error {
  readonly code?: string;
  constructor(message: string, code?: string) {
    super(message);
    this.code = code;
  }
}

type Request = PgliteRequest extends infer R ? (R extends PgliteRequest ? Omit<R, 'id'> : never) : never;

/** How long a thread whose database closed waits for the next (a service restarting) before it ends. */
const IDLE_MS = 5000;
const idle: PgliteThread[] = [];

/**
 * A worker thread (pgliteWorker.ts) for one embedded database: PostgreSQL compiled to
 * WebAssembly runs synchronously in steps of tens of milliseconds, which there hold up
 * none of the service's requests, nor another database's. A thread whose database closed
 * is kept a few seconds for the next one, which then skips loading PGlite and compiling
 * its WebAssembly (tests restart services many times). It holds the process open only
 * while a request is in flight: an open database does not keep a process alive that has
 * nothing else to do.
 */
export function acquirePgliteThread(): PgliteThread {
  const reused = idle.pop();
  if (reused) {
    reused.wake();
    return reused;
  }
  return new PgliteThread();
}

export class PgliteThread {
  private readonly worker: Worker;
  private readonly pending = new Map<
    number,
    { resolve: (rows: readonly object[]) => void; reject: (e: Error) => void }
  >();
  private nextId = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private lost: Error | undefined;

  constructor() {
    if (!SCRIPT) throw new Error('the PGlite worker script is missing from this build');
    this.worker = new Worker(SCRIPT, { eval: true });
    this.worker.unref();
    this.worker.on('message', (reply: PgliteReply) => this.receive(reply));
    const gone = (error: Error) => {
      this.lost ??= error;
      if (idle.includes(this)) idle.splice(idle.indexOf(this), 1);
      for (const { reject } of this.pending.values()) reject(error);
      this.pending.clear();
    };
    this.worker.on('error', gone);
    this.worker.on('exit', (code) => gone(new Error(`the embedded database's thread exited (code ${code})`)));
  }

  request(request: Request): Promise<readonly object[]> {
    return new Promise((resolve, reject) => {
      if (this.lost) return reject(this.lost);
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      if (this.pending.size === 1) this.worker.ref();
      this.worker.postMessage({ ...request, id } as PgliteRequest);
    });
  }

  /** Its database is closed: kept for the next for a while, then ended. */
  release(): void {
    if (this.lost) return;
    idle.push(this);
    this.idleTimer = setTimeout(() => {
      idle.splice(idle.indexOf(this), 1);
      void this.worker.terminate();
    }, IDLE_MS);
    this.idleTimer.unref();
  }

  /** Taken from the idle ones for a new database. */
  wake(): void {
    clearTimeout(this.idleTimer);
  }

  private receive(reply: PgliteReply): void {
    const waiting = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if (reply.ok) waiting?.resolve(reply.rows ?? []);
    else waiting?.reject(new PgliteError(reply.error.message, reply.error.code));
  }
}
