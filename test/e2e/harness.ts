import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { KubeConfig } from '@kubernetes/client-node';
import { killed } from '../helpers/serverProcess.js';

const HARNESS_DIR = resolve('test/kube-harness');
const BINARY = join(HARNESS_DIR, 'bin/kube-harness');

/**
 * Builds the harness (test/kube-harness: etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler, KWOK and kubectl in one binary) when `go` is present.
 * Returns why it cannot run otherwise; CI (CI=true) must never skip, so there it throws.
 */
export function buildHarness(): { ok: true } | { ok: false; why: string } {
  if (spawnSync('go', ['version']).status !== 0) {
    const why = 'go is not installed: the end-to-end suite needs it to build kube-apiserver (test/kube-harness)';
    if (process.env.CI === 'true') throw new Error(why);
    return { ok: false, why };
  }
  const build = spawnSync('bash', [join(HARNESS_DIR, 'build.sh')], { stdio: 'inherit' });
  if (build.status !== 0 || !existsSync(BINARY)) throw new Error(`building ${BINARY} failed (exit ${build.status})`);
  return { ok: true };
}

interface ReadyLine {
  ready: true;
  server: string;
  kubeconfig: string;
  port: number;
}

export interface HarnessOptions {
  /**
   * false: etcd and kube-apiserver only, no controllers, scheduler or nodes. Only for
   * faults a control plane would undo at once; every scenario runs with controllers.
   */
  readonly controllers?: boolean;
  /** More kube-apiserver flags, e.g. an audit log (`--audit-log-path`, `--audit-policy-file`). */
  readonly apiServerFlags?: readonly string[];
}

/**
 * A running control plane on loopback (etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler, and KWOK with two fake nodes whose pods get 127.1.0.x and 127.1.1.x
 * addresses); restartable with the same state and port.
 */
export class Harness {
  private child?: ChildProcess;
  private stderr?: Interface;
  ready?: ReadyLine;

  constructor(
    private readonly options: HarnessOptions = {},
    readonly dir: string = mkdtempSync(join(tmpdir(), 'kube-harness-')),
  ) {}

  /** Starts (or restarts on the same port) and resolves once /readyz answers and the nodes are Ready. */
  async start(): Promise<ReadyLine> {
    const args = [
      '--dir',
      this.dir,
      '--exit-on-stdin-eof',
      ...(this.options.controllers === false ? ['--no-controllers'] : []),
      ...(this.ready ? ['--port', String(this.ready.port)] : []),
      ...(this.options.apiServerFlags?.length ? ['--', ...this.options.apiServerFlags] : []),
    ];
    const child = spawn(BINARY, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    this.stderr = createInterface({ input: child.stderr! });
    if (process.env.HARNESS_LOGS) this.stderr.on('line', (line) => process.stderr.write(`${line}\n`));
    const lines = createInterface({ input: child.stdout! });
    const exited = once(child, 'exit').then(([code]) => {
      throw new Error(`kube-harness exited with ${code} before it was ready (set HARNESS_LOGS=1 to see why)`);
    });
    const [line] = (await Promise.race([once(lines, 'line'), exited])) as [string];
    this.ready = JSON.parse(line) as ReadyLine;
    return this.ready;
  }

  /** Stops the API server and etcd (SIGTERM), as an outage would. */
  async stop(): Promise<void> {
    await killed(this.child, { signal: 'SIGTERM' });
  }

  /** Compacts etcd to its current revision, so a watch resumed from an older resourceVersion gets 410 Gone. */
  async compact(): Promise<void> {
    const done = new Promise<void>((resolve) => {
      const onLine = (line: string) => {
        if (!line.includes('compacted etcd at revision')) return;
        this.stderr?.off('line', onLine);
        resolve();
      };
      this.stderr?.on('line', onLine);
    });
    this.child?.kill('SIGUSR1');
    await done;
  }

  /**
   * `kubectl ARGS` as the admin (the harness's own kubectl); resolves with its stdout (and
   * its stderr after it, with `stderr: true`), rejects with its stderr.
   */
  kubectl(
    args: readonly string[],
    options: { cwd?: string; timeoutMs?: number; stderr?: boolean } = {},
  ): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(
        BINARY,
        ['kubectl', ...args],
        {
          cwd: options.cwd,
          env: { ...process.env, KUBECONFIG: this.ready!.kubeconfig },
          timeout: options.timeoutMs ?? 90_000,
        },
        (error, stdout, stderr) => {
          if (error) reject(new Error(`kubectl ${args.join(' ')}: ${stderr || error.message}`));
          else resolve(options.stderr ? stdout + stderr : stdout);
        },
      );
    });
  }

  /**
   * A directory holding `kubectl`, a script that runs the harness's kubectl as the admin:
   * put it first on PATH and commands written for a real cluster run verbatim.
   */
  kubectlOnPath(): string {
    const bin = mkdtempSync(join(tmpdir(), 'kubectl-'));
    const script = join(bin, 'kubectl');
    writeFileSync(script, `#!/bin/sh\nKUBECONFIG='${this.ready!.kubeconfig}' exec '${BINARY}' kubectl "$@"\n`);
    chmodSync(script, 0o755);
    return bin;
  }

  /** An admin client configuration (system:masters). */
  adminConfig(): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromFile(this.ready!.kubeconfig);
    return kc;
  }

  /** A client configuration that authenticates with a bearer token (e.g. a ServiceAccount's), optionally through another local port. */
  tokenConfig(token: string, namespace = 'default', port = this.ready!.port): KubeConfig {
    const admin = this.adminConfig();
    const cluster = admin.getCurrentCluster()!;
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [
        { name: 'harness', server: `https://127.0.0.1:${port}`, caData: cluster.caData, caFile: cluster.caFile },
      ],
      users: [{ name: 'token', token }],
      contexts: [{ name: 'harness', cluster: 'harness', user: 'token', namespace }],
      currentContext: 'harness',
    });
    return kc;
  }
}
