import { entry, onLines, startProcess } from '../processes.js';
import type { LoadResult, LoadSpec } from './loadSpec.js';

/** The load generator process (loadProcess), running one spec at a time. */
export interface LoadGenerator {
  run(spec: LoadSpec): Promise<LoadResult>;
  stop(): Promise<void>;
}

/** Starts the load generator in its own process. */
export function startLoadGenerator(): LoadGenerator {
  const proc = startProcess('load', entry('bench/load/loadProcess'), []);
  const waiting: ((line: string) => void)[] = [];
  onLines(proc.child.stdout!, (line) => waiting.shift()?.(line));
  const exited = new Promise<void>((resolve) => proc.child.once('exit', () => resolve()));
  return {
    async run(spec) {
      // Bounded: a run takes its warm-up and measured seconds, and never a minute more.
      const limitMs = (spec.warmupSeconds + spec.seconds + 60) * 1000;
      let timer: NodeJS.Timeout | undefined;
      const line = new Promise<string>((resolve, reject) => {
        waiting.push(resolve);
        timer = setTimeout(() => reject(new Error('the load generator did not answer')), limitMs);
        void exited.then(() => reject(new Error(`the load generator exited: ${proc.stderr()}`)));
      });
      proc.child.stdin!.write(`${JSON.stringify(spec)}\n`);
      try {
        return JSON.parse(await line) as LoadResult;
      } finally {
        clearTimeout(timer);
      }
    },
    async stop() {
      proc.child.stdin!.end();
      await exited;
    },
  };
}
