import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killed, untilReady } from './serverProcess.js';
import { freePort } from './freePort.js';

/** Debian's redis-server (apt-get install -y redis-server); REDIS_SERVER points elsewhere. */
export const REDIS_SERVER = process.env.REDIS_SERVER ?? 'redis-server';
export const haveRedis = spawnSync(REDIS_SERVER, ['--version'], { stdio: 'ignore' }).status === 0;
const ci = process.env.CI === 'true';

/** `describe` for tests against redis-server: skipped with a message without it, unless CI=true. */
export function describeWithRedis(name: string, tests: () => void): void {
  if (!haveRedis && !ci) {
    console.warn(
      `SKIPPED ${name}: no ${REDIS_SERVER} (apt-get install -y redis-server). With CI=true it fails instead.`,
    );
  }
  (haveRedis || ci ? describe : describe.skip)(name, tests);
}

/**
 * A real redis-server on a free loopback port, in a temp dir, with no persistence. `kill`
 * ends it with SIGKILL (a crash); `start` again brings a fresh one up on the same port.
 */
export class RedisServer implements AsyncDisposable {
  private process?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'ag-redis-'));
  port = 0;

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Resolves once it accepts connections. */
  async start(): Promise<this> {
    if (!haveRedis) throw new Error(`no ${REDIS_SERVER}: install it (apt-get install -y redis-server) in .ci/run`);
    this.port ||= await freePort();
    const child = spawn(
      REDIS_SERVER,
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.process = child;
    await untilReady(child, 'redis-server', 'stdout', 'Ready to accept connections');
    return this;
  }

  /** Stops it where it is (SIGSTOP): connections stay open, nothing is answered. */
  pause(): void {
    this.process?.kill('SIGSTOP');
  }

  resume(): void {
    this.process?.kill('SIGCONT');
  }

  /** Kills it (SIGKILL) and resolves once it has exited. */
  async kill(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    await killed(child);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
