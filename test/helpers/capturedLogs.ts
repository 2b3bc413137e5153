import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/platform/logger.js';

/** Debug-level JSON loggers whose lines are kept in memory, one list per component. */
export class CapturedLogs {
  private readonly lines = new Map<string, Record<string, unknown>[]>();
  private readonly waiting = new Set<() => void>();

  loggerFor = (component: string): Logger => {
    const { waiting } = this;
    const lines = this.lines.get(component) ?? [];
    this.lines.set(component, lines);
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        waiting.forEach((check) => check());
        done();
      },
    });
    return createLogger(component, 'debug', sink);
  };

  of(component: string): readonly Record<string, unknown>[] {
    return this.lines.get(component) ?? [];
  }

  /** Resolves with the first line of `component` (logged already or later) that satisfies `predicate`. */
  until(component: string, predicate: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    return new Promise((resolve) => {
      const check = () => {
        const line = this.of(component).find(predicate);
        if (!line) return;
        this.waiting.delete(check);
        resolve(line);
      };
      this.waiting.add(check);
      check();
    });
  }
}
