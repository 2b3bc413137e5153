/** Where the client writes, and what kind of place that is; process.stdout/stderr in the CLI. */
export interface Terminal {
  out(text: string): void;
  err(text: string): void;
  /** stdout is a terminal: redraw in place, fit tables to `width`. */
  readonly tty: boolean;
  readonly width?: number;
  readonly color: boolean;
  /** Called (again) when the terminal is resized; returns a function that stops listening. */
  onResize(listener: () => void): () => void;
}

export function processTerminal(): Terminal {
  const tty = process.stdout.isTTY === true;
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    tty,
    get width() {
      return tty ? process.stdout.columns : undefined;
    },
    color: tty && !process.env.NO_COLOR && process.env.TERM !== 'dumb',
    onResize: (listener) => {
      process.stdout.on('resize', listener);
      return () => process.stdout.off('resize', listener);
    },
  };
}

/** ANSI: cursor home, clear screen. */
export const CLEAR_SCREEN = '\u001b[H\u001b[2J';
