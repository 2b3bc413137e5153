import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/platform/logger.js';

/** Debug-level JSON loggers whose lines are kept in memory, one list per component. */
export class CapturedLogs {
  private readonly lines = new Map<string, Record<string, unknown>[]>();

  loggerFor = (component: string): Logger => {
    const lines = this.lines.get(component) ?? [];
    this.lines.set(component, lines);
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    return createLogger(component, 'debug', sink);
  };

  of(component: string): readonly Record<string, unknown>[] {
    return this.lines.get(component) ?? [];
  }
}
