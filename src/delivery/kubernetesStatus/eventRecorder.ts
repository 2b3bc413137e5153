import { randomBytes } from 'node:crypto';
import { PatchStrategy, setHeaderOptions, V1MicroTime, type EventsV1Api } from '@kubernetes/client-node';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../../platform/logger.js';
import { describeApiError, statusCodeOf } from '../../sources/kubernetes/apiErrors.js';
import type { SubgraphResource } from '../../sources/kubernetes/subgraphResource.js';
import type { SubgraphEvent } from './transitionEvent.js';

/** Who reports the Events (events.k8s.io/v1 `reportingController`). */
export const REPORTING_CONTROLLER = 'affordance-gateway.io/gateway';
/** An Event repeated within this long is one Event with a series, as client-go's recorder does. */
const SERIES_WINDOW_MS = 6 * 60_000;
/** events.k8s.io/v1 refuses longer notes. */
const MAX_NOTE_BYTES = 1024;

/**
 * Writes Events about Subgraph resources (events.k8s.io/v1, which `kubectl describe` shows).
 * An Event the same as one written in the last 6 minutes (a subgraph flapping) is not
 * written again: the first gets a `series` with the count, so a flapping subgraph makes one
 * Event per kind of transition, not one per flap. Best effort: a failure is logged, never
 * retried (the status carries the state; the Event only tells the transition).
 */
export class EventRecorder {
  /** Recent Events by what makes them the same; bounded, so a flood of distinct ones cannot grow it. */
  private readonly recent = new LRUCache<string, { name: string; count: number; firstMs: number }>({ max: 256 });

  constructor(
    private readonly api: EventsV1Api,
    /** This replica (`reportingInstance`). */
    private readonly instance: string,
    private readonly logger: Logger,
  ) {}

  async record(resource: SubgraphResource, event: SubgraphEvent): Promise<void> {
    const { name = '', namespace = 'default', uid } = resource.metadata ?? {};
    const note = truncate(event.note, MAX_NOTE_BYTES);
    const key = `${uid} ${event.type} ${event.reason} ${event.action} ${note}`;
    const now = Date.now();
    const seen = this.recent.get(key);
    try {
      if (seen && now - seen.firstMs < SERIES_WINDOW_MS) {
        const count = seen.count + 1;
        await this.api.patchNamespacedEvent(
          {
            name: seen.name,
            namespace,
            body: { series: { count, lastObservedTime: new V1MicroTime(now) } },
          },
          setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
        );
        this.recent.set(key, { ...seen, count });
        return;
      }
      const eventName = `${name}.${now.toString(16)}${randomBytes(3).toString('hex')}`;
      await this.api.createNamespacedEvent({
        namespace,
        body: {
          metadata: { name: eventName, namespace },
          eventTime: new V1MicroTime(now),
          reportingController: REPORTING_CONTROLLER,
          reportingInstance: this.instance.slice(0, 128),
          action: event.action,
          reason: event.reason,
          type: event.type,
          note,
          regarding: {
            apiVersion: resource.apiVersion,
            kind: resource.kind,
            namespace,
            name,
            uid,
            resourceVersion: resource.metadata?.resourceVersion,
          },
        },
      });
      this.recent.set(key, { name: eventName, count: 1, firstMs: now });
    } catch (error) {
      // A series whose Event expired (the API server keeps Events an hour): the next one starts anew.
      if (statusCodeOf(error) === 404) this.recent.delete(key);
      this.logger.warn(
        { subgraph: `${namespace}/${name}`, reason: event.reason, err: describeApiError(error) },
        `could not write the ${event.reason} Event of Subgraph ${namespace}/${name}: ${describeApiError(error)}`,
      );
    }
  }
}

/** At most `bytes` bytes of UTF-8, cut at a character boundary and marked with "…" (3 bytes). */
function truncate(text: string, bytes: number): string {
  if (Buffer.byteLength(text) <= bytes) return text;
  let cut = text.slice(0, bytes - 3);
  while (Buffer.byteLength(cut) > bytes - 3) cut = cut.slice(0, -1);
  return `${cut}…`;
}
