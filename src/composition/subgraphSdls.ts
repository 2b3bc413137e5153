import { Kind, parse, type DocumentNode } from 'graphql';
import type { SubgraphAvailability } from '../availability/types.js';
import { versionSignals, type VersionSignals } from '../availability/versionSignals.js';
import { backoff } from '../platform/backoff.js';
import type { Logger } from '../platform/logger.js';
import { hashSdl } from './composeSupergraph.js';
import { fetchSubgraphSdl } from './fetchSdl.js';

/** One schema a subgraph serves, as read. */
export interface SdlVersion {
  readonly hash: string;
  readonly text: string;
  readonly typeDefs: DocumentNode;
}

/** A version with how many endpoints serve it (0 when it was read through the Service only). */
export interface ServingVersion {
  readonly version: SdlVersion;
  readonly endpoints: number;
}

/** What is known of the schemas one subgraph serves right now. */
export interface SubgraphSchemas {
  /**
   * The versions serving, most served first (then by hash); empty until one is read in the
   * subgraph's current up-period at its current URL.
   */
  readonly versions: readonly ServingVersion[];
  /** How they were told apart: by reading every endpoint, or through the Service (see `versionsOf`). */
  readonly readFrom: 'endpoints' | 'service';
  /** The rollout as the sources see it. */
  readonly signals: VersionSignals;
  /** Why no version could be read, while none is known. */
  readonly error?: string;
  /** Every definition of every version, for listing operations (one document per distinct set of versions). */
  readonly allDefinitions?: DocumentNode;
  /** While it is down: the last version read, for reductions and listings. */
  readonly lastKnown?: SdlVersion;
}

export interface SubgraphSdlsOptions {
  timeoutMs: number;
  /** Largest SDL answer read (see fetchSubgraphSdl). */
  maxBytes?: number;
  /** First retry delay after a failed read; doubles up to 10 s. */
  retryMs: number;
  /** Mean time between two reads of an available subgraph's SDL through its URL; each wait is spread over [½, 1½] of it. */
  refreshMs: number;
  logger: Logger;
  /** Called when a read finished (with or without a new version): recompute. */
  onChange: () => void;
}

/** The last read of one URL. */
interface ReadSlot {
  url: string;
  version?: SdlVersion;
  /** `period` (up-period and URL) the version was read in. */
  readIn?: string;
  /** `freshness` the last read (or failed refresh) answered. */
  answered?: string;
  error?: string;
  fetching: boolean;
  attempt: number;
  retry?: NodeJS.Timeout;
}

interface SubgraphReads {
  service: ReadSlot;
  endpoints: Map<string, ReadSlot>;
  /** The Service's version while no rollout was in progress: what served before one started. */
  stable?: SdlVersion;
  /** Versions read through the Service during the current rollout. */
  seenInRollout: Map<string, SdlVersion>;
  /** Bumped by the refresh timer and `refresh()`: a read answered an older one is due again. */
  generation: number;
  refreshTimer?: NodeJS.Timeout;
  lastRefresh: number;
  last?: SubgraphSchemas;
}

const MAX_RETRY_MS = 10_000;
/** `refresh()` more often than this is ignored (a burst of failing queries asks once). */
const REFRESH_MIN_GAP_MS = 1000;

/**
 * Reads the SDLs of the available subgraphs and says which versions serve. Level-triggered:
 * `sync` is called with the whole current state on every pass and starts whatever read is
 * due. A subgraph's SDL is read when it comes up (composition waits for that one), again
 * every `refreshMs` through its URL, at once when a rollout signal changes, and from every
 * endpoint the sources list (EndpointSlices), each once. A re-read never makes a subgraph
 * wait: the versions known stay until the new ones are in.
 */
export class SubgraphSdls {
  private readonly reads = new Map<string, SubgraphReads>();
  private stopped = false;

  constructor(private readonly options: SubgraphSdlsOptions) {}

  /** Starts the reads due for one subgraph and returns what is known of it now. */
  sync(name: string, url: string, verdict: SubgraphAvailability): SubgraphSchemas {
    const reads = this.readsOf(name, url);
    const signals = versionSignals(verdict);
    if (!verdict.available) {
      this.idle(reads);
      const known = reads.service.version;
      return {
        versions: [],
        readFrom: 'service',
        signals,
        ...(known && { lastKnown: known, allDefinitions: reads.last?.allDefinitions ?? known.typeDefs }),
      };
    }
    const period = `${verdict.since.getTime()} ${url}`;
    const freshness = `${signals.revision} #${reads.generation}`;
    this.due(name, reads.service, period, freshness);
    const endpointUrls = new Map((signals.endpoints ?? []).map((e) => [e.id, e.url]));
    for (const id of reads.endpoints.keys()) if (!endpointUrls.has(id)) this.forget(reads.endpoints, id);
    for (const [id, endpointUrl] of endpointUrls) {
      let slot = reads.endpoints.get(id);
      if (slot?.url !== endpointUrl) {
        if (slot) this.forget(reads.endpoints, id);
        reads.endpoints.set(id, (slot = { url: endpointUrl, fetching: false, attempt: 0 }));
      }
      // Pods are immutable: an endpoint's version is read once (again only after `refresh`).
      this.due(name, slot, period, `#${reads.generation}`);
    }
    const current = this.versionsOf(reads, period, freshness, signals);
    return (reads.last = current);
  }

  /** Reads the subgraph's SDL again now, everywhere (it answered that it lacks something the schema has). */
  refresh(name: string): void {
    const reads = this.reads.get(name);
    if (!reads || Date.now() - reads.lastRefresh < REFRESH_MIN_GAP_MS) return;
    reads.lastRefresh = Date.now();
    reads.generation++;
    this.options.onChange();
  }

  /** The SDL text read with this hash, from any of the subgraph's endpoints or its URL. */
  text(name: string, hash: string): string | undefined {
    const reads = this.reads.get(name);
    if (!reads) return undefined;
    return [reads.service, ...reads.endpoints.values()].find((slot) => slot.version?.hash === hash)?.version?.text;
  }

  /** Forgets subgraphs no longer configured or discovered. */
  retain(names: ReadonlySet<string>): void {
    for (const [name, reads] of this.reads) {
      if (names.has(name)) continue;
      this.idle(reads);
      this.reads.delete(name);
    }
  }

  stop(): void {
    this.stopped = true;
    for (const reads of this.reads.values()) this.idle(reads);
  }

  /**
   * The versions serving. With every listed endpoint read, they are the endpoints grouped by
   * hash. Otherwise (no endpoints listed, or some cannot be reached) the Service's: during a
   * rollout, every version read through it since the rollout began plus the one before, so
   * additions wait for the rollout to end while removals apply as soon as a version without
   * them serves. While an endpoint is still being read the versions known before stay.
   */
  private versionsOf(
    reads: SubgraphReads,
    period: string,
    freshness: string,
    signals: VersionSignals,
  ): SubgraphSchemas {
    const service = reads.service.readIn === period ? reads.service.version : undefined;
    if (!service) {
      // Up again, its SDL not read yet: what it served before still lists its operations.
      const { error, version: before } = reads.service;
      return {
        versions: [],
        readFrom: 'service',
        signals,
        ...(error !== undefined && { error }),
        ...(before && { lastKnown: before, allDefinitions: reads.last?.allDefinitions ?? before.typeDefs }),
      };
    }
    const slots = [...reads.endpoints.values()];
    if (slots.length > 0 && slots.every((s) => s.readIn === period && s.version)) {
      const byHash = new Map<string, { version: SdlVersion; endpoints: number }>();
      for (const { version } of slots) {
        const entry = byHash.get(version!.hash) ?? { version: version!, endpoints: 0 };
        entry.endpoints++;
        byHash.set(version!.hash, entry);
      }
      const versions = ordered([...byHash.values()]);
      if (!signals.rollingOut && versions.length === 1) this.settled(reads, versions[0]!.version);
      return this.withDefinitions(reads, { versions, readFrom: 'endpoints', signals });
    }
    // Only a read answering the current rollout state tells what serves in it.
    if (reads.service.answered === freshness) {
      if (!signals.rollingOut) this.settled(reads, service);
      else reads.seenInRollout.set(service.hash, service);
    }
    const pending = slots.some((s) => s.readIn !== period && !s.error);
    if (pending && reads.last?.versions.length) return { ...reads.last, signals };
    const versions = signals.rollingOut
      ? [...new Map([reads.stable, ...reads.seenInRollout.values()].flatMap((v) => (v ? [[v.hash, v]] : []))).values()]
      : [service];
    return this.withDefinitions(reads, {
      versions: ordered(versions.map((version) => ({ version, endpoints: 0 }))),
      readFrom: 'service',
      signals,
    });
  }

  /** No rollout, one version: what a next rollout starts from. */
  private settled(reads: SubgraphReads, version: SdlVersion): void {
    reads.stable = version;
    reads.seenInRollout.clear();
  }

  /** Adds `allDefinitions`, the same document as last time when the versions are the same. */
  private withDefinitions(reads: SubgraphReads, schemas: SubgraphSchemas): SubgraphSchemas {
    const hashes = (s: SubgraphSchemas | undefined) => s?.versions.map((v) => v.version.hash).join();
    if (schemas.versions.length === 1) return { ...schemas, allDefinitions: schemas.versions[0]!.version.typeDefs };
    if (reads.last?.allDefinitions && hashes(reads.last) === hashes(schemas)) {
      return { ...schemas, allDefinitions: reads.last.allDefinitions };
    }
    const definitions = schemas.versions.flatMap((v) => v.version.typeDefs.definitions);
    return { ...schemas, allDefinitions: { kind: Kind.DOCUMENT, definitions } };
  }

  /** Starts a read of `slot` unless it answered `freshness` in `period` or one is running or waiting. */
  private due(name: string, slot: ReadSlot, period: string, freshness: string): void {
    if (slot.fetching || slot.retry || this.stopped) return;
    if (slot.readIn === period && slot.answered === freshness) return;
    void this.read(name, slot, period, freshness);
  }

  private async read(name: string, slot: ReadSlot, period: string, freshness: string): Promise<void> {
    slot.fetching = true;
    const isService = this.reads.get(name)?.service === slot;
    try {
      const text = await fetchSubgraphSdl(slot.url, this.options.timeoutMs, this.options.maxBytes);
      const hash = hashSdl(text);
      if (hash !== slot.version?.hash) {
        if (slot.version && slot.readIn === period) {
          this.options.logger.info(
            { subgraph: name, from: slot.version.hash, to: hash, url: slot.url },
            'subgraph SDL changed',
          );
        }
        slot.version = { hash, text, typeDefs: parse(text) };
      }
      Object.assign(slot, { readIn: period, answered: freshness, error: undefined, attempt: 0 });
    } catch (error) {
      const message = (error as Error).message;
      if (slot.readIn === period && isService) {
        // A refresh that failed keeps the version known; the next one is due on the timer.
        slot.answered = freshness;
        this.options.logger.debug(
          { subgraph: name, err: message },
          'cannot re-read subgraph SDL; keeping the one known',
        );
      } else {
        slot.error = message;
        const delay = backoff(slot.attempt++, this.options.retryMs, MAX_RETRY_MS);
        this.options.logger.warn({ subgraph: name, err: message, retryInMs: delay }, 'cannot read subgraph SDL');
        slot.retry = setTimeout(() => {
          slot.retry = undefined;
          this.options.onChange();
        }, delay);
        slot.retry.unref();
      }
    } finally {
      slot.fetching = false;
    }
    if (isService) this.armRefresh(name);
    if (!this.stopped) this.options.onChange();
  }

  /** Schedules the next periodic read, spread over [½, 1½] of `refreshMs` so many subgraphs are not read at once. */
  private armRefresh(name: string): void {
    const reads = this.reads.get(name);
    if (!reads || this.stopped) return;
    clearTimeout(reads.refreshTimer);
    reads.refreshTimer = setTimeout(
      () => {
        reads.generation++;
        this.options.onChange();
      },
      this.options.refreshMs * (0.5 + Math.random()),
    );
    reads.refreshTimer.unref();
  }

  private idle(reads: SubgraphReads): void {
    clearTimeout(reads.refreshTimer);
    for (const slot of [reads.service, ...reads.endpoints.values()]) {
      clearTimeout(slot.retry);
      Object.assign(slot, { retry: undefined, error: undefined, attempt: 0 });
    }
  }

  private forget(slots: Map<string, ReadSlot>, id: string): void {
    clearTimeout(slots.get(id)?.retry);
    slots.delete(id);
  }

  private readsOf(name: string, url: string): SubgraphReads {
    let reads = this.reads.get(name);
    if (!reads) {
      reads = {
        service: { url, fetching: false, attempt: 0 },
        endpoints: new Map(),
        seenInRollout: new Map(),
        generation: 0,
        lastRefresh: 0,
      };
      this.reads.set(name, reads);
    }
    // A subgraph that moved (discovery) keeps its last version until the new URL answers.
    if (reads.service.url !== url) Object.assign(reads.service, { url, readIn: undefined, answered: undefined });
    return reads;
  }
}

/** Most served first, then by hash: the first is the base a common schema is cut from. */
const ordered = (versions: ServingVersion[]) =>
  versions.sort((a, b) => b.endpoints - a.endpoints || a.version.hash.localeCompare(b.version.hash));
