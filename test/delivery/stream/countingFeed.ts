import { EventEmitter, once } from 'node:events';
import type { AffordanceFeed } from '../../../src/delivery/stream/changeStream.js';

/** The gateway's real AffordanceState, counting the listeners subscribed through it. */
export class CountingFeed implements AffordanceFeed {
  active = 0;
  private readonly changes = new EventEmitter();

  constructor(private readonly inner: AffordanceFeed) {}

  get: AffordanceFeed['get'] = () => this.inner.get();

  subscribe: AffordanceFeed['subscribe'] = (listener) => {
    const unsubscribe = this.inner.subscribe(listener);
    this.active++;
    this.changes.emit('change');
    let done = false;
    return () => {
      unsubscribe();
      if (done) return;
      done = true;
      this.active--;
      this.changes.emit('change');
    };
  };

  /** Resolves once the number of active listeners satisfies `predicate` (now or later). */
  async until(predicate: (active: number) => boolean): Promise<void> {
    while (!predicate(this.active)) await once(this.changes, 'change');
  }
}
