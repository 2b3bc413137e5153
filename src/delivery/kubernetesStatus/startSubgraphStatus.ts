import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { CoordinationV1Api, CustomObjectsApi, EventsV1Api } from '@kubernetes/client-node';
import type { LeaseConfig } from '../../config/subgraphResourcesSchema.js';
import type { Logger } from '../../platform/logger.js';
import { EventRecorder } from './eventRecorder.js';
import { LeaseElector } from './leaseElector.js';
import { SubgraphStatusWriter, type SubgraphStatusWriterOptions } from './subgraphStatusWriter.js';

export interface SubgraphStatusOptions extends Pick<
  SubgraphStatusWriterOptions,
  'feed' | 'availability' | 'affordances' | 'composition'
> {
  readonly lease: LeaseConfig;
  readonly logger: Logger;
}

export interface RunningSubgraphStatus {
  /** This replica's identity in the Lease. */
  readonly identity: string;
  isLeader(): boolean;
  /** Stops writing, then releases the Lease if it holds it. */
  stop(): Promise<void>;
}

/**
 * Status and Events of Subgraph resources, written by one replica: the holder of the
 * Lease. Every replica runs this and serves alike; only the leader writes. Needs a started
 * Kubernetes source (its connection and caches).
 */
export function startSubgraphStatus(options: SubgraphStatusOptions): RunningSubgraphStatus {
  const watching = options.feed.watching();
  if (!watching) throw new Error('the Kubernetes source must be started before the Subgraph status writer');
  const { kubeConfig, namespaces } = watching;
  const { lease } = options;
  const identity = lease.identity ?? `${hostname()}-${randomBytes(3).toString('hex')}`;
  const logger = options.logger.child({ component: 'subgraph-status' });
  const elector = new LeaseElector({
    api: kubeConfig.makeApiClient(CoordinationV1Api),
    namespace: lease.namespace ?? namespaces[0]!,
    name: lease.name,
    identity,
    durationMs: lease.durationMs,
    renewDeadlineMs: lease.renewDeadlineMs,
    retryPeriodMs: lease.retryPeriodMs,
    logger,
  });
  const writer = new SubgraphStatusWriter({
    feed: options.feed,
    availability: options.availability,
    affordances: options.affordances,
    composition: options.composition,
    leadership: elector,
    api: kubeConfig.makeApiClient(CustomObjectsApi),
    events: new EventRecorder(kubeConfig.makeApiClient(EventsV1Api), identity, logger),
    fieldManager: `affordance-gateway/${identity}`,
    logger,
  });
  writer.start();
  elector.start();
  return {
    identity,
    isLeader: () => elector.isLeader(),
    stop: async () => {
      // A write still in flight could land after another replica took over: then the Lease expires instead.
      const clean = await writer.stop();
      await elector.stop({ release: clean });
    },
  };
}
