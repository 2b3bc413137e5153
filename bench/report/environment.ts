import { readFileSync } from 'node:fs';
import { cpus, freemem, release, totalmem, availableParallelism } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../processes.js';

/** The machine a run was made on, as the report shows it. */
export interface Machine {
  nproc: number;
  cpu: string;
  memoryGiB: number;
  freeGiB: number;
  node: string;
  kernel: string;
  loadAverage?: string;
}

export function machine(): Machine {
  let loadAverage: string | undefined;
  try {
    loadAverage = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    // Not Linux.
  }
  return {
    nproc: availableParallelism(),
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: totalmem() / 2 ** 30,
    freeGiB: freemem() / 2 ** 30,
    node: process.version,
    kernel: `${process.platform} ${release()}`,
    loadAverage,
  };
}

/** Versions of what is compared and of what loads it. */
export const VERSIONED_PACKAGES = [
  '@apollo/gateway',
  '@apollo/server',
  '@apollo/composition',
  'graphql',
  'undici',
  '@graphql-hive/gateway-runtime',
  '@graphql-mesh/transport-http',
  '@graphql-tools/batch-execute',
  'autocannon',
];

export function versions(): Record<string, string> {
  const read = (dir: string) =>
    (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  const result: Record<string, string> = { 'affordance-gateway': read(ROOT) };
  for (const name of VERSIONED_PACKAGES) {
    try {
      result[name] = read(join(ROOT, 'node_modules', name));
    } catch {
      result[name] = 'not installed';
    }
  }
  return result;
}
