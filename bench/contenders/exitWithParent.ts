/**
 * Exits when the benchmark that started this process goes away (its stdin pipe ends) or
 * asks it to stop, so no contender outlives a run, even one killed with SIGKILL.
 */
export function exitWithParent(close: () => Promise<void>): void {
  let closing = false;
  const stop = () => {
    if (closing) process.exit(1);
    closing = true;
    setTimeout(() => process.exit(1), 5000).unref();
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdin.on('end', stop).resume();
}
