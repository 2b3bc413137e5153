import { V1MicroTime, type CoordinationV1Api, type V1Lease } from '@kubernetes/client-node';
import type { Logger } from '../../platform/logger.js';
import { describeApiError, statusCodeOf } from '../../sources/kubernetes/apiErrors.js';
import { settledWithin } from './settledWithin.js';

/** The most stop() waits for the attempt under way, and then for the release. */
const STOP_WAIT_MS = 2000;

export interface LeaseElectorOptions {
  readonly api: CoordinationV1Api;
  readonly namespace: string;
  readonly name: string;
  /** This replica's name in the Lease (`spec.holderIdentity`); unique per replica. */
  readonly identity: string;
  /** A Lease not renewed for this long may be taken over. */
  readonly durationMs: number;
  /** The leader stops leading when it could not renew for this long (shorter than `durationMs`). */
  readonly renewDeadlineMs: number;
  /** Time between renewals, and between attempts of the others. */
  readonly retryPeriodMs: number;
  readonly logger: Logger;
}

/** One attempt's outcome: this replica holds the Lease, another does, or the API server did not answer. */
type Attempt = 'leading' | 'held' | 'failed';

/**
 * Leader election on a coordination.k8s.io Lease, as client-go's leaderelection does it
 * (the JavaScript client has none): every `retryPeriodMs` each replica reads the Lease;
 * the holder renews it, another takes it when its holder has not renewed it for the
 * Lease's duration (timed by this replica's own clock from when it last saw it change, so
 * clocks need not agree) or when it is released. Every write carries the resourceVersion
 * read, so of two replicas trying at once one wins and the other gets a conflict. A leader
 * that cannot renew for `renewDeadlineMs` stops leading before anyone may take over, and
 * `stop()` releases the Lease (holder cleared), so the next replica takes over within one
 * retry period instead of waiting for it to expire.
 */
export class LeaseElector {
  private leading = false;
  private lastRenewal = 0;
  /** The Lease as last seen (holder and resourceVersion) and when this replica first saw it so. */
  private observed?: { readonly record: string; readonly atMs: number };
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  private lastError = '';
  private readonly listeners = new Set<(leading: boolean) => void>();

  constructor(private readonly options: LeaseElectorOptions) {}

  start(): void {
    this.tick();
  }

  /** True while this replica holds the Lease and renewed it within the renew deadline. */
  isLeader(): boolean {
    return this.leading && Date.now() - this.lastRenewal < this.options.renewDeadlineMs;
  }

  /** Called with true when this replica starts leading, false when it stops. */
  onChange(listener: (leading: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Stops trying; a leader stops leading first, then releases the Lease (unless `release`
   * is false: then it is left to expire). Bounded: with an API server that does not
   * answer, the Lease is left to expire.
   */
  async stop({ release = true }: { release?: boolean } = {}): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const settled = await settledWithin(this.running ?? Promise.resolve(), STOP_WAIT_MS);
    this.setLeading(false);
    // Also when the last attempt took it just now: release() checks who holds it.
    if (settled && release) await settledWithin(this.release(), STOP_WAIT_MS);
  }

  private tick(): void {
    this.running = this.attempt().then((outcome) => {
      if (this.stopped) return;
      const now = Date.now();
      if (outcome === 'leading') {
        this.lastRenewal = now;
        this.setLeading(true);
      } else if (outcome === 'held' || now - this.lastRenewal >= this.options.renewDeadlineMs) {
        this.setLeading(false);
      }
      // Candidates spread their attempts, so several replicas do not knock at once.
      const delay = this.leading ? this.options.retryPeriodMs : this.options.retryPeriodMs * (1 + Math.random() * 0.2);
      this.timer = setTimeout(() => this.tick(), delay);
      this.timer.unref();
    });
  }

  private async attempt(): Promise<Attempt> {
    const { api, namespace, name, identity } = this.options;
    try {
      let lease: V1Lease;
      try {
        lease = await api.readNamespacedLease({ name, namespace });
      } catch (error) {
        if (statusCodeOf(error) !== 404) throw error;
        return await this.create();
      }
      const holder = lease.spec?.holderIdentity;
      const record = `${holder ?? ''} ${lease.metadata?.resourceVersion}`;
      if (this.observed?.record !== record) this.observed = { record, atMs: Date.now() };
      const durationMs = (lease.spec?.leaseDurationSeconds ?? this.durationSeconds()) * 1000;
      if (holder && holder !== identity && Date.now() < this.observed.atMs + durationMs) return 'held';
      const now = new V1MicroTime();
      const mine = holder === identity;
      await api.replaceNamespacedLease({
        name,
        namespace,
        body: {
          ...lease,
          spec: {
            ...lease.spec,
            holderIdentity: identity,
            leaseDurationSeconds: this.durationSeconds(),
            renewTime: now,
            acquireTime: mine ? lease.spec?.acquireTime : now,
            leaseTransitions: (lease.spec?.leaseTransitions ?? 0) + (mine ? 0 : 1),
          },
        },
      });
      this.lastError = '';
      return 'leading';
    } catch (error) {
      // A conflict: another replica wrote the Lease since it was read, and holds it now.
      if (statusCodeOf(error) === 409) return 'held';
      this.report(error);
      return 'failed';
    }
  }

  private async create(): Promise<Attempt> {
    const { api, namespace, name, identity } = this.options;
    const now = new V1MicroTime();
    try {
      await api.createNamespacedLease({
        namespace,
        body: {
          metadata: { name, namespace },
          spec: {
            holderIdentity: identity,
            leaseDurationSeconds: this.durationSeconds(),
            acquireTime: now,
            renewTime: now,
            leaseTransitions: 0,
          },
        },
      });
      return 'leading';
    } catch (error) {
      if (statusCodeOf(error) === 409) return 'held';
      throw error;
    }
  }

  /** Clears the holder, keeping the record otherwise, so that another replica may take it at once. */
  private async release(): Promise<void> {
    const { api, namespace, name, identity } = this.options;
    try {
      const lease = await api.readNamespacedLease({ name, namespace });
      if (lease.spec?.holderIdentity !== identity) return;
      const { holderIdentity: _released, ...spec } = lease.spec;
      await api.replaceNamespacedLease({
        name,
        namespace,
        body: { ...lease, spec: { ...spec, renewTime: new V1MicroTime() } },
      });
      this.options.logger.info({ lease: `${namespace}/${name}` }, `released Lease ${namespace}/${name}`);
    } catch (error) {
      // It expires by itself; the next leader just waits for that.
      this.options.logger.warn(
        { lease: `${namespace}/${name}`, err: describeApiError(error) },
        `could not release Lease ${namespace}/${name}; another replica takes over once it expires`,
      );
    }
  }

  private durationSeconds(): number {
    return Math.ceil(this.options.durationMs / 1000);
  }

  private setLeading(leading: boolean): void {
    if (leading === this.leading) return;
    this.leading = leading;
    const { namespace, name, identity } = this.options;
    this.options.logger.info(
      { lease: `${namespace}/${name}`, identity },
      leading ? `leading: holds Lease ${namespace}/${name}` : `no longer leading (Lease ${namespace}/${name})`,
    );
    for (const listener of this.listeners) listener(leading);
  }

  /** Logs a failing API server once per distinct error, not on every retry. */
  private report(error: unknown): void {
    const message = describeApiError(error);
    if (message === this.lastError) return;
    this.lastError = message;
    const { namespace, name } = this.options;
    const rbac =
      statusCodeOf(error) === 403
        ? '; the Role needs get, create, update on leases (see k8s/base/gateway-rbac.yaml)'
        : '';
    this.options.logger.warn(
      { lease: `${namespace}/${name}`, err: message },
      `cannot read or write Lease ${namespace}/${name}${rbac}: ${message}`,
    );
  }
}
