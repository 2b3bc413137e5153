import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
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
  /** Delay before restarting a component that died. Default 1000 ms; doubles up to 10 s while it keeps dying. */
  restartDelayMs?: number;
  /** Where supervisor and component output goes (each line prefixed with the component). */
  write?: (line: string) => void;
}

const STABLE_AFTER_MS = 10_000;

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
    for (const component of this.options.components) this.spawn(component, this.options.restartDelayMs ?? 1000);
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

  private spawn(component: ComponentSpec, nextDelayMs: number): void {
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
      const stable = Date.now() - startedAt > STABLE_AFTER_MS;
      const base = this.options.restartDelayMs ?? 1000;
      const delay = stable ? base : nextDelayMs;
      this.write(`[stack] ${component.name} exited (${signal ?? `code ${code}`}); restarting in ${delay} ms`);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (!this.stopping) this.spawn(component, Math.min(delay * 2, 10_000));
      }, delay);
      this.timers.add(timer);
    });
  }
}
