import type { V1Deployment } from '@kubernetes/client-node';
import type { AvailabilitySource, CheckStatus } from '../../../src/availability/types.js';
import type { GatewayConfig } from '../../../src/config/schema.js';
import { clusterChecks } from '../../../src/sources/kubernetes/clusterChecks.js';
import { requirementsFromConfig } from '../../../src/sources/kubernetes/requirements.js';

/**
 * The Kubernetes source's checks without a cluster, for the console's pictures: the
 * Deployments of namespace `shop` are held here and scaled by the test, and the checks are
 * the source's own (`clusterChecks` over the config's requirements), ids and replica
 * counts included. The real source against a real API server is in the e2e suite.
 */
export class ClusterDouble implements AvailabilitySource {
  readonly name = 'kubernetes';
  private readonly deployments = new Map<string, V1Deployment>();
  private readonly since = new Map<string, { ok: boolean; since: Date }>();
  private readonly requirements;
  private onChange: () => void = () => {};

  constructor(config: GatewayConfig, replicas: Record<string, number>) {
    this.requirements = requirementsFromConfig(config, 'shop');
    for (const [name, count] of Object.entries(replicas)) this.put(name, count, count);
  }

  async start(onChange: () => void): Promise<void> {
    this.onChange = onChange;
  }

  async stop(): Promise<void> {
    this.onChange = () => {};
  }

  /** A Deployment with `available` of its `desired` replicas available, as its status would say. */
  scale(name: string, desired: number, available: number): void {
    this.put(name, desired, available);
    this.onChange();
  }

  snapshot(): readonly CheckStatus[] {
    const now = new Date();
    return clusterChecks(this.requirements, { deployments: [...this.deployments.values()] }).map((check) => {
      const key = `${check.subgraph} ${check.id}`;
      const before = this.since.get(key);
      const since = before && before.ok === check.ok ? before.since : now;
      this.since.set(key, { ok: check.ok, since });
      return { ...check, since };
    });
  }

  private put(name: string, desired: number, available: number): void {
    this.deployments.set(name, {
      metadata: { namespace: 'shop', name, generation: 1 },
      spec: { replicas: desired, selector: {}, template: {} },
      status: { observedGeneration: 1, replicas: desired, updatedReplicas: desired, availableReplicas: available },
    });
  }
}
