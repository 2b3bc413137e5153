import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { processTree } from '../processes.js';

let ticksPerSecond: number | undefined;

/**
 * CPU time a process and its descendants (a multi-worker gateway's workers) have used so
 * far (user + system, all their threads: the gateway's planner and composition threads
 * count), in seconds, from /proc/<pid>/stat. Steadier than req/s on a shared machine: it
 * does not count the time the process waited for a core.
 */
export function cpuSeconds(pid: number): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return processTree(pid).reduce((sum, p) => sum + ownCpuTicks(p), 0) / ticksPerSecond;
}

function ownCpuTicks(pid: number): number {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0;
  }
  // After "pid (comm) ": state is field 3, utime field 14, stime field 15 (proc(5)).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}
