import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processTree } from '../processes.js';

/** A CPU limit as Kubernetes enforces one: a CFS quota on a control group of the processes under it. */
export interface CpuLimit {
  /** `cgroup v1` or `cgroup v2`. */
  readonly kind: string;
  /** Limits the group to `cpus` cores (quota per 100 ms period); undefined lifts the limit. */
  set(cpus: number | undefined): void;
  /** Moves a process and its descendants into the group (processes they start later are in it too). */
  add(pid: number): void;
  /** Moves the processes back out and removes the group. */
  remove(): void;
}

const PERIOD_US = 100_000;
const V1 = '/sys/fs/cgroup/cpu';
const V2 = '/sys/fs/cgroup';

/**
 * A control group named `name` with a CPU quota, when this machine lets the benchmark
 * make one (root, the cpu controller mounted writable: cgroup v1 at /sys/fs/cgroup/cpu,
 * or v2 with the cpu controller enabled for children); undefined otherwise.
 */
export function cpuLimit(name: string): CpuLimit | undefined {
  const v2 = existsSync(join(V2, 'cgroup.controllers')) && readable(join(V2, 'cgroup.subtree_control')).includes('cpu');
  const root = v2 ? V2 : existsSync(join(V1, 'cpu.cfs_quota_us')) ? V1 : undefined;
  if (!root) return undefined;
  const dir = join(root, name);
  try {
    mkdirSync(dir);
  } catch {
    return undefined;
  }
  const write = (file: string, value: string) => writeFileSync(join(dir, file), value);
  return {
    kind: v2 ? 'cgroup v2' : 'cgroup v1',
    set(cpus) {
      const quota = cpus === undefined ? undefined : Math.round(cpus * PERIOD_US);
      if (v2) write('cpu.max', `${quota ?? 'max'} ${PERIOD_US}`);
      else {
        write('cpu.cfs_period_us', String(PERIOD_US));
        write('cpu.cfs_quota_us', String(quota ?? -1));
      }
    },
    add(pid) {
      for (const p of processTree(pid)) write('cgroup.procs', String(p));
    },
    remove() {
      for (const p of readable(join(dir, 'cgroup.procs')).split('\n').filter(Boolean)) {
        try {
          writeFileSync(join(root, 'cgroup.procs'), p);
        } catch {
          // Gone already.
        }
      }
      rmdirSync(dir);
    },
  };
}

function readable(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
