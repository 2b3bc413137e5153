import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

const CLI = ['node_modules/tsx/dist/cli.mjs', 'src/cli/main.ts', 'client'];

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `affordance-gateway client ARGS` to completion, as a user would, output into pipes. */
export async function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  const child = spawnCli(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

export function spawnCli(args: readonly string[], env: Record<string, string> = {}): ChildProcess {
  const { AG_GATEWAY_URL: _ignored, ...inherited } = process.env;
  return spawn(process.execPath, [...CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...inherited, NO_COLOR: '1', ...env },
  });
}

/** A child's output stream, line by line, with a way to await the first line matching a pattern. */
export class Lines {
  private readonly lines: string[] = [];
  private readonly waiters = new Set<() => void>();
  private ended = false;

  constructor(stream: NodeJS.ReadableStream) {
    const reader = createInterface({ input: stream });
    reader.on('line', (line) => {
      this.lines.push(line);
      this.waiters.forEach((wake) => wake());
    });
    reader.on('close', () => {
      this.ended = true;
      this.waiters.forEach((wake) => wake());
    });
  }

  get count(): number {
    return this.lines.length;
  }

  /** The first line matching `pattern` at or after line number `from`; rejects if the output ends first. */
  async next(pattern: RegExp, from = 0): Promise<{ line: string; index: number }> {
    for (;;) {
      const index = this.lines.findIndex((line, i) => i >= from && pattern.test(line));
      if (index !== -1) return { line: this.lines[index]!, index };
      if (this.ended) throw new Error(`output ended without a line matching ${pattern}:\n${this.text()}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          resolve();
        };
        this.waiters.add(wake);
      });
    }
  }

  text(from = 0): string {
    return this.lines.slice(from).join('\n');
  }
}

/** Ends a child that may still run (a failed test), and waits for it. */
export async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  child.kill(signal);
  const [code] = (await once(child, 'close')) as [number | null];
  return code;
}
