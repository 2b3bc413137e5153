import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { SUPERVISED_ENV } from '../src/platform/shutdown.js';

/**
 * `npm run bench` runs the compiled tree (dist/), as the container image does: no
 * TypeScript loader in any process, whose memory would count as the gateway's. Run with
 * tsx from the sources, entry points are the .ts files and children get tsx too.
 */
const compiled = import.meta.url.endsWith('.js');
/** The repository root (the working directory of every process). */
export const ROOT = fileURLToPath(new URL(compiled ? '../..' : '..', import.meta.url));
/** Where entry points live: dist/ when compiled, else the repository root. */
const TREE = fileURLToPath(new URL('..', import.meta.url));
const LOADER_FLAGS = compiled ? [] : ['--import', 'tsx'];

/** An entry point by its path in the source tree without extension, e.g. `src/cli/main`. */
export const entry = (path: string): string => join(TREE, `${path}${compiled ? '.js' : '.ts'}`);

const children = new Set<ChildProcess>();

/** A process of the benchmark: a subgraph, a gateway, the load generator. */
export interface BenchProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  /** Everything it wrote on stderr, for error messages. */
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * Starts an entry point (see `entry`) in its own Node process. Its stdin is a pipe from this
 * process: components started with AG_SUPERVISED=1 (and the bench's own entry points)
 * exit when it closes, so nothing outlives the benchmark even if it is killed.
 */
export function startProcess(
  name: string,
  entryPoint: string,
  args: readonly string[],
  env: Record<string, string> = {},
  nodeFlags: readonly string[] = [],
): BenchProcess {
  const child = spawn(process.execPath, [...nodeFlags, ...LOADER_FLAGS, entryPoint, ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', [SUPERVISED_ENV]: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.add(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => children.delete(child));
  return {
    name,
    child,
    pid: child.pid!,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs an entry point to its end and returns the last line it printed on stdout. */
export async function runToEnd(
  name: string,
  entryPoint: string,
  args: readonly string[],
  timeoutMs: number,
  env: Record<string, string> = {},
) {
  const proc = startProcess(name, entryPoint, args, env);
  let stdout = '';
  proc.child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => proc.child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${name} exited with ${code}: ${proc.stderr()}`);
  return stdout.trim().split('\n').pop() ?? '';
}

/** Calls `listener` with each line a stream gives (without its newline); returns a function that stops listening. */
export function onLines(stream: Readable, listener: (line: string) => void): () => void {
  let pending = '';
  const onData = (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop()!;
    lines.forEach((line) => listener(line));
  };
  stream.on('data', onData);
  return () => stream.off('data', onData);
}

/** Kills every child still running (on exit, whatever the reason). */
export function killAll(): void {
  for (const child of children) child.kill('SIGKILL');
}

export { freePort } from '../test/helpers/freePort.js';

/**
 * Resolves once `probe` succeeds, retrying every 50 ms; fails after `timeoutMs` with the
 * last error, or at once when `failed` says why it never will (the process exited).
 */
export async function waitFor(
  what: string,
  probe: () => Promise<boolean>,
  failed: () => string | undefined = () => undefined,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const fatal = failed();
    if (fatal) throw new Error(`${what} failed to start: ${fatal}`);
    try {
      if (await probe()) return;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what} did not become ready in ${timeoutMs} ms: ${String(last ?? 'not ready')}`);
}

/** A process and all its descendants (Linux /proc: the children of each of its threads), the process first. */
export function processTree(pid: number): number[] {
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${tree[i]}/task`);
    } catch {
      continue;
    }
    for (const task of tasks) {
      try {
        const children = readFileSync(`/proc/${tree[i]}/task/${task}/children`, 'utf8').trim();
        if (children) tree.push(...children.split(' ').map(Number));
      } catch {
        // The task ended meanwhile.
      }
    }
  }
  return tree;
}

/** A field of /proc/<pid>/status in bytes (`VmRSS`, `VmHWM`); 0 for a process that is gone. */
function statusBytes(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Resident set size of a process and its descendants now, in bytes (Linux /proc). */
export function rssBytes(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + statusBytes(p, 'VmRSS'), 0);
}

/**
 * Follows the peak RSS of a process (with its descendants: the workers of a multi-worker
 * gateway) over a run: the kernel's high-water marks (VmHWM), reset at the start where the
 * kernel allows it (clear_refs 5), summed (so at most the true peak of the sum), and 50 ms
 * samples of the summed VmRSS in case they cannot be reset.
 */
export function peakRss(pid: number): { stop(): number } {
  let resettable = true;
  for (const p of processTree(pid)) {
    try {
      writeFileSync(`/proc/${p}/clear_refs`, '5');
    } catch {
      resettable = false;
    }
  }
  let peak = rssBytes(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssBytes(pid))), 50);
  return {
    stop: () => {
      clearInterval(timer);
      if (resettable)
        peak = Math.max(
          peak,
          processTree(pid).reduce((sum, p) => sum + statusBytes(p, 'VmHWM'), 0),
        );
      return peak;
    },
  };
}
