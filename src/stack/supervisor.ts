import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { backoff } from '../platform/backoff.js';
import { SUPERVISED_ENV } from '../platform/shutdown.js';

/** One process the supervisor keeps running. */
export interface ComponentSpec {
  readonly name: string;
  /** The script to run (see `ENTRY_POINTS`), e.g. the demo subgraphs' entry point. */
  readonly entry: string;
  /** Arguments after the entry point, e.g. ["customers", "--port", "4001"]. */
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
}

export interface SupervisorOptions {
  components: readonly ComponentSpec[];
  /** Delay before restarting a component that died: a random one in [d/2, d], d = 1000 ms by default, doubling up to 10 s while it keeps dying (platform/backoff). */
  restartDelayMs?: number;
  /** Where supervisor and component output goes (each line prefixed with the component). */
  write?: (line: string) => void;
}

const STABLE_AFTER_MS = 10_000;
const MAX_RESTART_DELAY_MS = 10_000;

/**
 * Runs components as child processes (each its own entry script) and restarts any that die, the
 * way a ReplicaSet would; `stop` terminates them all and resolves when they have exited.
 */
export class Supervisor {
  private readonly children = new Map<string, ChildProcess>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly write: (line: string) => void;
  private stopping = false;

  constructor(private readonly options: SupervisorOptions) {
    this.write = options.write ?? ((line) => process.stdout.write(`${line}\n`));
  }

  start(): void {
    for (const component of this.options.components) this.spawn(component, 0);
  }

  /** The pid of a running component, for tools and tests that kill one on purpose. */
  pid(name: string): number | undefined {
    return this.children.get(name)?.pid;
  }

  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopping = true;
    for (const timer of this.timers) clearTimeout(timer);
    const exits = [...this.children.values()].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const kill = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
          child.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    );
    await Promise.all(exits);
  }

  /** `restarts`: how often it died soon after starting, in a row (the backoff attempt). */
  private spawn(component: ComponentSpec, restarts: number): void {
    // The same Node flags and loader (tsx in development) as this process.
    const child = spawn(process.execPath, [...process.execArgv, component.entry, ...component.args], {
      env: { ...process.env, ...component.env, [SUPERVISED_ENV]: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const startedAt = Date.now();
    this.children.set(component.name, child);
    this.write(`[stack] started ${component.name} (pid ${child.pid})`);
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => this.write(`[${component.name}] ${line}`));
    }
    child.once('exit', (code, signal) => {
      if (this.stopping) return;
      // One that ran for a while starts the backoff over.
      const attempt = Date.now() - startedAt > STABLE_AFTER_MS ? 0 : restarts;
      const delay = Math.round(backoff(attempt, this.options.restartDelayMs ?? 1000, MAX_RESTART_DELAY_MS));
      this.write(`[stack] ${component.name} exited (${signal ?? `code ${code}`}); restarting in ${delay} ms`);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (!this.stopping) this.spawn(component, attempt + 1);
      }, delay);
      this.timers.add(timer);
    });
  }
}
