import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { ENTRY_POINTS } from '../../../../src/stack/entryPoints.js';
import { freePort } from '../../../helpers/freePort.js';

/** One JSON log line of a component (pino). */
export interface LogLine {
  msg: string;
  [field: string]: unknown;
}

/** What a demo service process logs once it listens, by command. */
const LISTENING: Record<string, string> = {
  customers: 'customers subgraph listening',
  'invoices-service': 'invoices gRPC service listening',
};

/**
 * A demo service as its own process (the demo subgraphs' entry point, as the local stack
 * and the container start it) on a free loopback port, with its JSON log lines kept and
 * awaitable: nothing waits on a timer.
 */
export class ServiceProcess implements AsyncDisposable {
  private child?: ChildProcess;
  private readonly lines: LogLine[] = [];
  private readonly waiters = new Set<{ from: number; match: (line: LogLine) => boolean; found: () => void }>();
  port = 0;

  constructor(
    readonly command: 'customers' | 'invoices-service',
    private readonly database: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** `http://127.0.0.1:port` for customers, `127.0.0.1:port` for the gRPC service. */
  get address(): string {
    return this.command === 'customers' ? `http://127.0.0.1:${this.port}` : `127.0.0.1:${this.port}`;
  }

  /** Starts it (again, on the same port) and resolves once it listens. */
  async start(): Promise<this> {
    this.port ||= await freePort();
    const from = this.lines.length;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', ENTRY_POINTS.subgraphs, this.command, '--port', String(this.port)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, ...this.env, DATABASE_URL: this.database, LOG_LEVEL: 'info' },
      },
    );
    this.child = child;
    createInterface({ input: child.stdout! }).on('line', (text) => {
      const line = parseLine(text);
      if (!line) return;
      this.lines.push(line);
      for (const waiter of this.waiters) this.check(waiter);
    });
    const exited = once(child, 'exit').then(([code]) => {
      throw new Error(`${this.command} exited (${code}) before it listened`);
    });
    await Promise.race([this.next((l) => l.msg === LISTENING[this.command], from), exited]);
    exited.catch(() => {});
    return this;
  }

  /** The first line (from line `from` on) that `match` accepts: one logged already, or the next. */
  next(match: (line: LogLine) => boolean, from = 0): Promise<LogLine> {
    return new Promise((resolve) => {
      const waiter = {
        from,
        match,
        found: () => resolve(this.lines.slice(from).find(match)!),
      };
      this.waiters.add(waiter);
      this.check(waiter);
    });
  }

  /** Where the next line will be, to wait for what comes after now. */
  get mark(): number {
    return this.lines.length;
  }

  logged(match: (line: LogLine) => boolean): LogLine[] {
    return this.lines.filter(match);
  }

  /** Ends it the way a crash would (SIGKILL) and resolves once it has exited. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.kill();
  }

  private check(waiter: { from: number; match: (line: LogLine) => boolean; found: () => void }): void {
    if (!this.lines.slice(waiter.from).some(waiter.match)) return;
    this.waiters.delete(waiter);
    waiter.found();
  }
}

function parseLine(text: string): LogLine | undefined {
  try {
    const line = JSON.parse(text) as LogLine;
    return typeof line.msg === 'string' ? line : undefined;
  } catch {
    return undefined;
  }
}
