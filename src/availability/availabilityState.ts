import type { Logger } from '../platform/logger.js';
import { deriveAvailability, sameVerdict } from './deriveAvailability.js';
import type { AvailabilityMap, AvailabilitySource, SourcedCheck, SubgraphAvailability } from './types.js';

export interface AvailabilityStateOptions {
  subgraphs: readonly string[];
  sources: readonly AvailabilitySource[];
  /** See `availability.settleMs` in the config. */
  settleMs: number;
  logger: Logger;
}

export type AvailabilityListener = (availability: AvailabilityMap) => void;

/**
 * Folds the checks of every source into one verdict per subgraph and tells listeners
 * when a verdict changes. Notifications from sources are coalesced into one derivation
 * per microtask; a timer re-derives when a settling subgraph is due back.
 */
export class AvailabilityState {
  private readonly listeners = new Set<AvailabilityListener>();
  private readonly sources: readonly AvailabilitySource[];
  private readonly logger: Logger;
  private readonly settleMs: number;
  private subgraphs: readonly string[];
  private current: AvailabilityMap = new Map();
  private scheduled = false;
  private settleTimer: NodeJS.Timeout | undefined;
  private started = false;

  constructor(options: AvailabilityStateOptions) {
    this.sources = options.sources;
    this.subgraphs = options.subgraphs;
    this.settleMs = options.settleMs;
    this.logger = options.logger;
  }

  /** Starts every source and resolves once each has made its first complete observation. */
  async start(): Promise<void> {
    await Promise.all(this.sources.map((source) => source.start(() => this.schedule())));
    this.started = true;
    this.derive();
  }

  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.settleTimer);
    await Promise.all(this.sources.map((source) => source.stop()));
  }

  /** The current verdicts, one per known subgraph. */
  snapshot(): AvailabilityMap {
    return this.current;
  }

  /** Calls `listener` after every change of any verdict; returns an unsubscribe function. */
  subscribe(listener: AvailabilityListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Replaces the set of known subgraphs (discovery adds and removes them). The verdicts
   * are derived at once, so what reads `snapshot()` next (composition, at start) sees them.
   */
  setSubgraphs(subgraphs: readonly string[]): void {
    this.subgraphs = subgraphs;
    if (this.started) this.derive();
  }

  private schedule(): void {
    if (this.scheduled || !this.started) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      if (this.started) this.derive();
    });
  }

  private derive(): void {
    const checks: SourcedCheck[] = this.sources.flatMap((source) =>
      source.snapshot().map((check) => ({ ...check, source: source.name })),
    );
    const next = deriveAvailability({
      subgraphs: this.subgraphs,
      checks,
      previous: this.current,
      now: new Date(),
      settleMs: this.settleMs,
    });
    const changed = [...next.values()].filter((verdict) => !sameVerdict(this.current.get(verdict.name), verdict));
    const removed = [...this.current.keys()].some((name) => !next.has(name));
    for (const verdict of changed) this.logTransition(this.current.get(verdict.name), verdict);
    this.current = next;
    this.armSettleTimer();
    if (changed.length > 0 || removed) for (const listener of this.listeners) listener(next);
  }

  private armSettleTimer(): void {
    clearTimeout(this.settleTimer);
    const due = [...this.current.values()].flatMap((v) => (v.settlingUntil ? [v.settlingUntil.getTime()] : []));
    if (due.length === 0) return;
    const delay = Math.max(0, Math.min(...due) - Date.now());
    this.settleTimer = setTimeout(() => this.schedule(), delay);
    this.settleTimer.unref();
  }

  private logTransition(before: SubgraphAvailability | undefined, after: SubgraphAvailability): void {
    if (before?.available === after.available && before.settlingUntil === after.settlingUntil) return;
    const fields = { subgraph: after.name, available: after.available, reason: after.reason };
    if (after.available) this.logger.info(fields, `subgraph ${after.name} is available`);
    else if (after.settlingUntil) this.logger.info(fields, `subgraph ${after.name} is up again, settling`);
    else this.logger.warn(fields, `subgraph ${after.name} is unavailable: ${after.reason}`);
  }
}
