import { EventEmitter, once } from 'node:events';
import type { Terminal } from '../../src/client/terminal.js';

/** A Terminal that keeps what the client writes; a pipe unless told it is a TTY. */
export class CaptureTerminal implements Terminal {
  stdout = '';
  stderr = '';
  readonly color = false;
  private readonly written = new EventEmitter();

  /** Pass `tty` (and a width) to look like a terminal instead. */
  constructor(
    readonly tty = false,
    readonly width: number | undefined = undefined,
  ) {}

  out = (text: string) => {
    this.stdout += text;
    this.written.emit('write');
  };

  err = (text: string) => {
    this.stderr += text;
    this.written.emit('write');
  };

  onResize = () => () => {};

  /** The complete stdout lines so far. */
  get lines(): string[] {
    return this.stdout.split('\n').slice(0, -1);
  }

  /** Resolves once `predicate` holds for what was written (now or later). */
  async until(predicate: (terminal: this) => boolean): Promise<void> {
    while (!predicate(this)) await once(this.written, 'write');
  }
}
