import { request } from 'node:http';
import { entry, freePort, waitFor } from '../processes.js';
import { post, startOurGateway, type Contender, type Subgraphs } from '../throughput/contenders.js';
import type { DataSet } from '../throughput/dataSet.js';
import { runThroughput, type ThroughputCell, type ThroughputOptions } from '../throughput/runThroughput.js';
import { bodyOf } from '../throughput/scenarios.js';
import { cpuLimit, type CpuLimit } from './cpuLimit.js';

export interface WorkersOptions extends Omit<ThroughputOptions, 'scenarios' | 'hotKeyRounds' | 'hotKeySeconds'> {
  /** The CPU limits to compare at, in cores (as a Deployment's `limits.cpu`). */
  limits: readonly number[];
  scenarios: readonly string[];
  /** Worker processes of the multi-worker contender. */
  workers: number;
}

/** Both contenders at one CPU limit. */
export interface WorkersRun {
  /** Cores; undefined when the machine does not let the benchmark limit CPU (then both run unlimited). */
  readonly limit?: number;
  readonly cells: ThroughputCell[];
}

export interface WorkersResult {
  /** How the limit was enforced (`cgroup v1`, `cgroup v2`), or undefined when it could not be. */
  readonly limitKind?: string;
  readonly workers: number;
  /** Rounds per cell, and measured seconds per run. */
  readonly rounds: number;
  readonly seconds: number;
  readonly runs: WorkersRun[];
}

const CLI = entry('src/cli/main');

/**
 * The multi-worker mode (`server.workers`) against one process, at the same CPU limit:
 * both gateways run side by side, each in a control group with a CFS quota (how
 * Kubernetes enforces `limits.cpu`), and take turns on the same workloads, for each limit
 * in turn. CPU time and peak RSS are the whole process tree's (primary and workers).
 */
export async function runWorkers(subgraphs: Subgraphs, data: DataSet, options: WorkersOptions): Promise<WorkersResult> {
  const [single, multi, admin] = [await freePort(), await freePort(), await freePort()];
  const contenders: Contender[] = [
    {
      id: 'affordance',
      title: 'affordance-gateway, 1 process',
      url: () => `http://127.0.0.1:${single}/graphql`,
      process: startOurGateway('affordance-gateway', CLI, single, subgraphs),
    },
    {
      id: `affordance-workers${options.workers}`,
      title: `affordance-gateway, server.workers: ${options.workers}`,
      url: () => `http://127.0.0.1:${multi}/graphql`,
      process: startOurGateway(`affordance-gateway workers`, CLI, multi, subgraphs, [], {
        AG__SERVER__WORKERS: String(options.workers),
        AG__SERVER__ADMINPORT: String(admin),
      }),
    },
  ];
  const limits = new Map<Contender, CpuLimit>();
  try {
    for (const contender of contenders) {
      const proc = contender.process!;
      // Every worker answers (the primary hands each new connection to the next worker).
      await waitFor(
        contender.title,
        async () => (await post(contender.url(), bodyOf('customersWithInvoices'))).includes('"invoices"'),
        () => (proc.child.exitCode === null ? undefined : `exited: ${proc.stderr()}`),
      );
      if (contender.id !== 'affordance') {
        await waitFor(`every worker of ${contender.title}`, () =>
          everyWorkerAnswers(contender.url(), `http://127.0.0.1:${admin}`, options.workers),
        );
      }
      const limit = cpuLimit(`affordance-bench-${process.pid}-${contender.id}`);
      if (limit) {
        limit.add(proc.pid);
        limits.set(contender, limit);
      }
    }
    const enforced = limits.size === contenders.length;
    if (!enforced) options.log('this machine does not let the benchmark limit CPU: both run unlimited');
    const runs: WorkersRun[] = [];
    for (const cpus of enforced ? options.limits : [undefined]) {
      for (const limit of limits.values()) limit.set(cpus);
      options.log(`server.workers at a CPU limit of ${cpus ?? 'none'}`);
      const cells = await runThroughput(contenders, subgraphs, data, {
        ...options,
        hotKeyRounds: 0,
        hotKeySeconds: 0,
      });
      runs.push({ limit: cpus, cells });
    }
    return {
      limitKind: enforced ? [...limits.values()][0]!.kind : undefined,
      workers: options.workers,
      rounds: options.rounds,
      seconds: options.seconds,
      runs,
    };
  } finally {
    await Promise.all(contenders.map((c) => c.process?.stop()));
    for (const limit of limits.values()) limit.remove();
  }
}

/**
 * Sends a query on a connection of its own (the primary hands each new connection to the
 * next worker), then reads whether every worker has answered one (the admin port's
 * request counts, labelled by worker).
 */
async function everyWorkerAnswers(url: string, adminUrl: string, workers: number): Promise<boolean> {
  await new Promise<void>((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json', connection: 'close' } },
      (res) => res.resume().on('end', resolve),
    );
    req.on('error', reject).end(bodyOf('customersWithInvoices'));
  });
  const text = await (await fetch(`${adminUrl}/metrics`)).text();
  const answered = new Set([...text.matchAll(/^graphql_requests_total\{[^}]*worker="(\d+)"/gm)].map((m) => m[1]));
  return answered.size === workers;
}
