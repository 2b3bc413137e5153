import { LRUCache } from 'lru-cache';
import type { Caller } from '../serving/access/caller.js';
import type { ServedRequirements } from '../serving/access/servedRequirements.js';
import type { AffordanceSnapshot } from './affordanceState.js';
import { callerView, viewKey } from './callerView.js';
import type { Affordances } from './types.js';

/** Distinct scope sets whose views are kept per snapshot; more are computed again when asked. */
const VIEWS_PER_SNAPSHOT = 256;

/**
 * Per-caller affordances, shared: one view per snapshot and distinct scope set (viewKey),
 * computed once however many callers (queries, change streams) ask, and the same object
 * each time, so the change stream encodes it once too. When authorization is off every
 * caller gets the snapshot's own affordances.
 */
export class CallerViews {
  private readonly views = new WeakMap<AffordanceSnapshot, LRUCache<string, Affordances>>();

  constructor(
    private readonly requirements: ServedRequirements,
    private readonly enabled: boolean,
  ) {}

  viewOf(snapshot: AffordanceSnapshot, caller: Caller): Affordances {
    if (!this.enabled) return snapshot.affordances;
    const requirements = this.requirements.of(snapshot.apiSchema);
    let views = this.views.get(snapshot);
    if (!views) {
      views = new LRUCache({ max: VIEWS_PER_SNAPSHOT });
      this.views.set(snapshot, views);
    }
    const key = viewKey(requirements, caller);
    let view = views.get(key);
    if (!view) {
      view = callerView(snapshot.affordances, snapshot.apiSchema, requirements, caller);
      views.set(key, view);
    }
    return view;
  }
}
