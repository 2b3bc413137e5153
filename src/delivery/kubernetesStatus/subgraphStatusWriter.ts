import { isDeepStrictEqual } from 'node:util';
import { PatchStrategy, setHeaderOptions, type CustomObjectsApi } from '@kubernetes/client-node';
import type { AffordanceState } from '../../affordances/affordanceState.js';
import type { AvailabilityState } from '../../availability/availabilityState.js';
import type { SupergraphManager } from '../../composition/supergraphManager.js';
import { backoff } from '../../platform/backoff.js';
import type { Logger } from '../../platform/logger.js';
import { describeApiError, statusCodeOf } from '../../sources/kubernetes/apiErrors.js';
import {
  resourceKey,
  SUBGRAPH_RESOURCE,
  type SubgraphResource,
  type SubgraphResourceFeed,
  type SubgraphResourceStatus,
} from '../../sources/kubernetes/subgraphResource.js';
import type { EventRecorder } from './eventRecorder.js';
import { settledWithin } from './settledWithin.js';
import { subgraphStatus } from './subgraphStatus.js';
import { transitionEvent } from './transitionEvent.js';

/** Who may write: the Lease holder (see LeaseElector). */
export interface Leadership {
  isLeader(): boolean;
  onChange(listener: (leading: boolean) => void): () => void;
}

export interface SubgraphStatusWriterOptions {
  readonly feed: SubgraphResourceFeed;
  readonly availability: Pick<AvailabilityState, 'snapshot' | 'subscribe'>;
  readonly affordances: Pick<AffordanceState, 'get' | 'subscribe'>;
  readonly composition: Pick<SupergraphManager, 'status'>;
  readonly leadership: Leadership;
  readonly api: CustomObjectsApi;
  readonly events: EventRecorder;
  /** The field manager of every status write: one per replica, so managedFields say who wrote. */
  readonly fieldManager: string;
  readonly logger: Logger;
}

/** The most stop() waits for the writes in flight. */
const STOP_WAIT_MS = 2000;
/** First retry of a failed write, doubling up to the maximum. */
const RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;

/**
 * Writes every Subgraph resource's status from the gateway's verdict, and an Event on every
 * transition, while this replica leads. Level-triggered, as a controller's reconcile: any
 * change (availability, the served schema, a resource, leadership) schedules one pass over
 * every cached resource, which computes the whole status from the current state and
 * writes only where it differs from what the resource has. Watching (the Kubernetes
 * source's informer) is separate from acting (this). Each write names the resourceVersion
 * it was computed from, so a stale cache gets a conflict instead of overwriting, and the
 * informer's next update brings the pass that writes again.
 */
export class SubgraphStatusWriter {
  private readonly unsubscribe: (() => void)[] = [];
  /** Writes in flight, by resource key. */
  private readonly inFlight = new Map<string, Promise<void>>();
  /** The last status written per resource, and the resourceVersion it was written over: skipped until the cache moves on. */
  private readonly written = new Map<string, { status: SubgraphResourceStatus; over: string | undefined }>();
  /** Consecutive failures and when the next try is due, per resource. */
  private readonly failures = new Map<string, { attempt: number; dueMs: number; error: string }>();
  private scheduled = false;
  private retry?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly options: SubgraphStatusWriterOptions) {}

  start(): void {
    const schedule = () => this.schedule();
    this.unsubscribe.push(
      this.options.feed.onSubgraphResourcesChange(schedule),
      this.options.availability.subscribe(schedule),
      this.options.affordances.subscribe(schedule),
      this.options.leadership.onChange(schedule),
    );
    this.schedule();
  }

  /**
   * Stops writing; resolves once the writes in flight are done (true), or after 2 s (false:
   * one may still land, so the Lease must not be released for another to write meanwhile).
   */
  async stop(): Promise<boolean> {
    this.stopped = true;
    clearTimeout(this.retry);
    this.unsubscribe.forEach((fn) => fn());
    return settledWithin(Promise.all(this.inFlight.values()), STOP_WAIT_MS);
  }

  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.reconcile();
    });
  }

  private reconcile(): void {
    if (this.stopped || !this.options.leadership.isLeader()) return;
    const served = this.options.affordances.get();
    // Nothing is served yet: there is no verdict to write.
    if (!served) return;
    const availability = this.options.availability.snapshot();
    const composition = this.options.composition.status();
    const now = new Date();
    const keys = new Set<string>();
    let nextDueMs = Number.POSITIVE_INFINITY;
    for (const { resource, use } of this.options.feed.subgraphResources()) {
      const key = resourceKey(resource);
      keys.add(key);
      const desired = subgraphStatus({
        resource,
        use,
        availability: availability.get(resource.metadata?.name ?? ''),
        affordances: served.affordances,
        composition,
        now,
      });
      if (sameStatus(desired, resource.status)) {
        this.failures.delete(key);
        continue;
      }
      if (this.inFlight.has(key)) continue; // its end schedules another pass
      const written = this.written.get(key);
      if (written && written.over === resource.metadata?.resourceVersion && sameStatus(desired, written.status)) {
        continue; // written already; the informer has not delivered it yet
      }
      const failure = this.failures.get(key);
      if (failure && failure.dueMs > now.getTime()) {
        nextDueMs = Math.min(nextDueMs, failure.dueMs);
        continue;
      }
      this.inFlight.set(
        key,
        this.write(key, resource, desired).finally(() => {
          this.inFlight.delete(key);
          this.schedule();
        }),
      );
    }
    for (const map of [this.written, this.failures]) {
      for (const key of map.keys()) if (!keys.has(key)) map.delete(key);
    }
    if (nextDueMs !== Number.POSITIVE_INFINITY) {
      clearTimeout(this.retry);
      this.retry = setTimeout(() => this.schedule(), Math.max(0, nextDueMs - Date.now()));
      this.retry.unref();
    }
  }

  private async write(key: string, resource: SubgraphResource, status: SubgraphResourceStatus): Promise<void> {
    const { namespace = 'default', name = '', resourceVersion } = resource.metadata ?? {};
    const before = resource.status?.conditions?.find((c) => c.type === 'Composed');
    const after = status.conditions?.find((c) => c.type === 'Composed');
    const event = after && transitionEvent(before, after);
    // Checked again right before the request: leadership may have ended since the pass began.
    if (!this.options.leadership.isLeader()) return;
    try {
      const { group, version, plural } = SUBGRAPH_RESOURCE;
      await this.options.api.patchNamespacedCustomObjectStatus(
        {
          group,
          version,
          plural,
          namespace,
          name,
          // A merge patch replaces each key given; null removes one the status no longer has.
          body: { metadata: { resourceVersion }, status: { ...ABSENT, ...status } },
          fieldManager: this.options.fieldManager,
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      this.written.set(key, { status, over: resourceVersion });
      this.failures.delete(key);
    } catch (error) {
      this.failed(key, error);
      return;
    }
    if (event) await this.options.events.record(resource, event);
  }

  private failed(key: string, error: unknown): void {
    const code = statusCodeOf(error);
    // Deleted meanwhile, or changed since the cache saw it: the informer brings the next pass.
    if (code === 404 || code === 409) return;
    const message = describeApiError(error);
    const attempt = (this.failures.get(key)?.attempt ?? 0) + 1;
    const previous = this.failures.get(key)?.error;
    this.failures.set(key, { attempt, dueMs: Date.now() + backoff(attempt, RETRY_MS, MAX_RETRY_MS), error: message });
    if (previous === message) return;
    const rbac =
      code === 403 ? '; the Role needs update, patch on subgraphs/status (see k8s/base/gateway-rbac.yaml)' : '';
    this.options.logger.warn(
      { subgraph: key, err: message },
      `could not write the status of Subgraph ${key}${rbac}; retrying: ${message}`,
    );
  }
}

/** Every key the gateway writes, so that a merge patch removes those a status no longer has. */
const ABSENT: Record<keyof SubgraphResourceStatus, null> = {
  observedGeneration: null,
  conditions: null,
  url: null,
  replicas: null,
  versions: null,
  unavailableOperations: null,
};

/** Equal as stored: key order aside, a key absent and one the API server dropped are the same. */
function sameStatus(a: SubgraphResourceStatus, b: SubgraphResourceStatus | undefined): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b ?? {})));
}
