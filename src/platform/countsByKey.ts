/** Things held per key (connections, streams by client address), each key capped. */
export class CountsByKey {
  private readonly counts = new Map<string, number>();

  /** Takes one for `key` if it holds fewer than `max`; returns the release (idempotent), else undefined. */
  acquire(key: string, max: number): (() => void) | undefined {
    const held = this.counts.get(key) ?? 0;
    if (held >= max) return undefined;
    this.counts.set(key, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.counts.get(key) ?? 1) - 1;
      if (left === 0) this.counts.delete(key);
      else this.counts.set(key, left);
    };
  }
}
