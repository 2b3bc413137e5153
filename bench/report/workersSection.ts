import { SCENARIOS } from '../throughput/scenarios.js';
import type { WorkersResult } from '../workers/runWorkers.js';
import { fixed, MB, ratio } from './format.js';

/**
 * The multi-worker section of BENCHMARKS.md: one process against `server.workers` at each
 * CPU limit, on the same workloads in the same rounds.
 */
export function workersSection(result: WorkersResult): string[] {
  const lines = [
    `## Multi-worker mode: ${result.workers} workers against one process at the same CPU limit`,
    '',
    result.limitKind
      ? `Both gateways ran side by side, each in a control group of its own (${result.limitKind}) whose CFS quota ` +
        'is the CPU limit, as Kubernetes enforces `resources.limits.cpu`; CPU µs/req and peak RSS are the whole ' +
        `process tree's (the primary and its workers). ${result.rounds} rounds of ${result.seconds} s per cell, the order rotating.`
      : 'This machine did not let the benchmark make control groups, so both ran without a CPU limit.',
    '',
    '| CPU limit | workload | gateway | req/s | vs 1 process | p50 ms | p99 ms | errors | CPU µs/req | peak RSS MB |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const run of result.runs) {
    for (const scenario of SCENARIOS) {
      const cells = run.cells.filter((c) => c.scenario === scenario.id);
      const single = cells.find((c) => c.contender === 'affordance');
      for (const c of cells) {
        lines.push(
          `| ${run.limit === undefined ? 'none' : `${run.limit} CPU`} | ${scenario.id} | ${c.title} | ${fixed(c.rps)} | ` +
            `${ratio(c.rps, single?.rps)} | ${fixed(c.p50, 2)} | ${fixed(c.p99, 2)} | ${c.errors} | ${fixed(c.cpuUs)} | ` +
            `${fixed(c.peakRss && c.peakRss / MB)} |`,
        );
      }
    }
  }
  lines.push('');
  return lines;
}
