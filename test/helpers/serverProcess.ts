import type { ChildProcess } from 'node:child_process';

/**
 * Resolves once the server process `name` has printed `ready` on `stream`; rejects, with
 * what it printed, if it exits (or cannot be started) first.
 */
export function untilReady(
  child: ChildProcess,
  name: string,
  stream: 'stdout' | 'stderr',
  ready: string,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let output = '';
    child[stream]!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(ready)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before it was ready:\n${output}`)));
    child.once('error', reject);
  });
}

/**
 * Sends a server process `signal` (default SIGKILL: a crash): the process, or with `group`
 * its whole process group (a server with children of its own, started `detached`).
 * Resolves once it has exited; at once if it is not running.
 */
export async function killed(
  child: ChildProcess | undefined,
  { signal = 'SIGKILL', group = false }: { signal?: NodeJS.Signals; group?: boolean } = {},
): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  if (group) process.kill(-child.pid!, signal);
  else child.kill(signal);
  await exited;
}
