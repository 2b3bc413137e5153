import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPERATIONS } from '../load/workloads.js';
import type { ContenderId } from '../throughput/contenders.js';
import type { ThroughputCell, ThroughputOptions } from '../throughput/runThroughput.js';
import { SCENARIOS, type Scenario } from '../throughput/scenarios.js';
import { barChart } from './charts.js';
import { fixed, MB, ratio } from './format.js';

/** What the report says of the data set the throughput runs used. */
export interface DataSetSummary {
  customers: number;
  invoices: number;
  maxInvoices: number;
  maxPage: number;
}

export interface ThroughputReport {
  throughput: readonly ThroughputCell[];
  options: Omit<ThroughputOptions, 'log'>;
  dataSet?: DataSetSummary;
}

/** The contenders of a run, in the order they were started. */
function contendersOf(cells: readonly ThroughputCell[]): { id: ContenderId; title: string }[] {
  const seen = new Map<ContenderId, string>();
  for (const cell of cells) if (!seen.has(cell.contender)) seen.set(cell.contender, cell.title);
  const order = ['direct', 'affordance', 'apollo', 'hive'];
  const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length);
  return [...seen].map(([id, title]) => ({ id, title })).sort((a, b) => rank(a.id) - rank(b.id));
}

/** One scenario's heading, documents and table. */
function scenarioTable(report: ThroughputReport, scenario: Scenario): string[] {
  const cell = (contender: ContenderId) =>
    report.throughput.find((c) => c.scenario === scenario.id && c.contender === contender);
  const [apollo, direct] = [cell('apollo'), cell('direct')];
  const contenders = contendersOf(report.throughput).filter((c) => cell(c.id));
  if (contenders.length === 0) return [];
  const lines = [
    `### ${scenario.title}`,
    '',
    '```graphql',
    ...scenario.operations.map((operation) => OPERATIONS[operation].query),
    '```',
    '',
    `Variables: ${scenario.variables}.`,
    '',
    '| contender | req/s | vs stock Apollo | vs direct | p50 ms | p99 ms | errors | peak RSS MB | CPU µs/req | subgraphs CPU µs/req | subgraph fetches/req | req/s by round |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const contender of contenders) {
    const c = cell(contender.id)!;
    lines.push(
      `| ${contender.title} | ${fixed(c.rps)} | ${ratio(c.rps, apollo?.rps)} | ${ratio(c.rps, direct?.rps)} | ` +
        `${fixed(c.p50, 2)} | ${fixed(c.p99, 2)} | ${c.errors} | ${fixed(c.peakRss && c.peakRss / MB)} | ` +
        `${fixed(c.cpuUs)} | ${fixed(c.subgraphCpuUs)} | ${fixed(c.fetches, 2)} | ${c.runs.map((r) => fixed(r.rps)).join(', ')} |`,
    );
  }
  const failing = contenders.map((c) => cell(c.id)).find((c) => c?.sampleError);
  if (failing)
    lines.push('', `First error seen (${failing.contender}): \`${failing.sampleError!.replace(/`/g, "'")}\``);
  lines.push('');
  return lines;
}

/**
 * The throughput sections of BENCHMARKS.md: the varied-argument workloads (the main
 * tables, and the chart), then the hot-key view, labelled as the workload that flatters
 * in-flight sharing.
 */
export function throughputSection(report: ThroughputReport, chartLink: string, chartDir: string): string[] {
  const varied = SCENARIOS.filter((s) => !s.hotKey && report.throughput.some((c) => c.scenario === s.id));
  const hot = SCENARIOS.filter((s) => s.hotKey && report.throughput.some((c) => c.scenario === s.id));
  const contenders = contendersOf(report.throughput);
  const data = report.dataSet;
  writeFileSync(
    join(chartDir, 'throughput.svg'),
    barChart({
      title: `Requests per second, varied arguments (median of ${report.options.rounds} rounds, ${report.options.connections} connections)`,
      unit: '',
      groups: varied.map((s) => s.id),
      series: contenders.map((c) => c.title),
      values: varied.map((s) =>
        contenders.map((c) => report.throughput.find((t) => t.scenario === s.id && t.contender === c.id)?.rps),
      ),
    }),
  );
  return [
    '## Throughput: varied arguments',
    '',
    `![Requests per second by contender](${chartLink})`,
    '',
    'Every request draws fresh variables, from a seeded generator in the load process (in a round every',
    'contender gets the same sequence), over the data set created at start' +
      (data
        ? `: ${data.customers} customers, ${data.invoices} invoices (0–${data.maxInvoices} each), pages of 1–${data.maxPage}.`
        : '.'),
    'Two requests in flight at once can still be identical (the same customer, the same page size), as',
    'in real traffic; "subgraph fetches/req" shows how often a gateway shared a fetch (fewer than the',
    'plan needs: 1 for a single-subgraph operation, 2 for a cross-subgraph one) or sent more. "CPU',
    'µs/req" is the gateway process\'s own CPU time (all its threads) per request; for the direct call,',
    'the subgraph\'s own (the floor). "subgraphs CPU µs/req" is what the two subgraphs and the gRPC',
    'service spent together per request. No single subgraph answers a cross-subgraph operation, so',
    'those have no direct call.',
    '',
    ...varied.flatMap((s) => scenarioTable(report, s)),
    ...(hot.length
      ? [
          '## Hot key: one identical query on every request (flatters this gateway)',
          '',
          'Every connection sends the same query, so a gateway that shares identical queries in flight',
          '(affordance-gateway, and Hive Gateway by default) sends its subgraphs a fraction of the requests',
          'it gets and can pass the direct call. No real traffic looks like this; it is kept to show what',
          `sharing does at its best (${report.options.hotKeySeconds ?? report.options.seconds} s measured, ` +
            `${report.options.hotKeyRounds ?? report.options.rounds} round${(report.options.hotKeyRounds ?? report.options.rounds) === 1 ? '' : 's'}). ` +
            'Over the data set, `customers` lists its default page of 50 customers.',
          '',
          ...hot.flatMap((s) => scenarioTable(report, s)),
        ]
      : []),
  ];
}
