import { writeFileSync } from 'node:fs';
import type { Reactions } from '../reaction/runReactions.js';
import type { ThroughputCell, ThroughputOptions } from '../throughput/runThroughput.js';

export interface ReportInput {
  out: string;
  throughput?: ThroughputCell[];
  reactions?: Reactions;
  options: ThroughputOptions;
  elapsedMs: number;
}

export function writeReport(input: ReportInput): string {
  writeFileSync(input.out.replace(/\.md$/, '.json'), JSON.stringify(input, null, 2));
  return input.out;
}
