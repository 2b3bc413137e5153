import type { GatewayConfig } from '../../config/schema.js';
import type { AvailabilitySource, CheckStatus } from '../../availability/types.js';
import { grpcHealthProbe } from './grpcHealthProbe.js';
import { httpGraphQLProbe } from './httpProbe.js';
import type { ProbeResult, ProbeTarget } from './probe.js';

export interface ProbeSourceOptions {
  targets: readonly ProbeTarget[];
  /** Time between the end of one probe of a target and the start of the next. */
  intervalMs: number;
}

interface TargetState {
  ok: boolean;
  reason: string;
  since: Date;
}

/**
 * Active probing, for running without a cluster: each target is probed on its own
 * interval; a change of up/down is reported at once.
 */
export class ProbeSource implements AvailabilitySource {
  readonly name = 'probe';
  private readonly states = new Map<ProbeTarget, TargetState>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private running = false;
  private onChange: () => void = () => {};

  constructor(private readonly options: ProbeSourceOptions) {}

  async start(onChange: () => void): Promise<void> {
    this.onChange = onChange;
    this.running = true;
    await Promise.all(this.options.targets.map((target) => this.probe(target)));
    for (const target of this.options.targets) this.scheduleNext(target);
  }

  snapshot(): readonly CheckStatus[] {
    return this.options.targets.flatMap((target) => {
      const state = this.states.get(target);
      if (!state) return [];
      const { id, backend } = target;
      return target.subgraphs.map((subgraph) => ({ id, subgraph, ...state, ...(backend && { backend }) }));
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const target of this.options.targets) target.close();
  }

  private scheduleNext(target: ProbeTarget): void {
    if (!this.running) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.probe(target).then(() => this.scheduleNext(target));
    }, this.options.intervalMs);
    this.timers.add(timer);
  }

  private async probe(target: ProbeTarget): Promise<void> {
    const result: ProbeResult = await target.probe();
    if (!this.running) return;
    const before = this.states.get(target);
    const reason = result.ok ? result.detail : result.reason;
    const flipped = before?.ok !== result.ok;
    this.states.set(target, { ok: result.ok, reason, since: flipped || !before ? new Date() : before.since });
    if (flipped) this.onChange();
  }
}

/** Probe targets for a configuration: each subgraph's endpoint and each backend it depends on. */
export function probeTargetsFromConfig(
  config: Pick<GatewayConfig, 'subgraphs' | 'backends'> & {
    availability: Pick<GatewayConfig['availability'], 'probe'>;
  },
): ProbeTarget[] {
  const { timeoutMs } = config.availability.probe;
  const subgraphTargets = Object.entries(config.subgraphs)
    .filter(([, subgraph]) => subgraph.probe)
    .map(([name, subgraph]) => httpGraphQLProbe(name, subgraph.url, timeoutMs));
  const backendTargets = Object.entries(config.backends).flatMap(([backend, def]) => {
    const dependents = Object.entries(config.subgraphs)
      .filter(([, subgraph]) => subgraph.dependsOn.includes(backend))
      .map(([name]) => name);
    return dependents.length && def.grpc
      ? [grpcHealthProbe(backend, dependents, def.grpc, def.healthService, timeoutMs)]
      : [];
  });
  return [...subgraphTargets, ...backendTargets];
}
