import type { CheckStatus } from '../../availability/types.js';
import type { GatewayConfig } from '../../config/schema.js';
import { ProbeSource, probeTargetsFromConfig } from '../probe/probeSource.js';
import type { DiscoveredSubgraph } from './subgraphResources.js';

/**
 * The probes of what Subgraph resources declare (their endpoints, their backends' gRPC
 * addresses), for a gateway that runs the probe source too: a resource is checked as a
 * config entry saying the same would be. The probe source's own targets come from the
 * config file and are fixed; these follow the resources, one ProbeSource per set of them.
 */
export class ResourceProbes {
  private source?: ProbeSource;
  private declared = '[]';
  /** Changes are applied one after the other. */
  private applying: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly options: {
      readonly probe: GatewayConfig['availability']['probe'];
      /** Called when a probe result flips, and once a new set of targets has been probed. */
      readonly onChange: () => void;
    },
  ) {}

  /** Probes what `subgraphs` declare from now on (nothing changes if they declare the same). */
  follow(subgraphs: readonly DiscoveredSubgraph[]): Promise<void> {
    const declared = JSON.stringify(subgraphs.map((s) => s.config));
    if (declared === this.declared) return this.applying;
    this.declared = declared;
    this.applying = this.applying.then(() => this.replace(subgraphs));
    return this.applying;
  }

  snapshot(): readonly CheckStatus[] {
    return this.source?.snapshot() ?? [];
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.applying;
    await this.source?.stop();
  }

  private async replace(subgraphs: readonly DiscoveredSubgraph[]): Promise<void> {
    if (this.stopped) return;
    const targets = subgraphs.flatMap((s) =>
      probeTargetsFromConfig({ ...s.config, availability: { probe: this.options.probe } }),
    );
    const previous = this.source;
    const next = targets.length ? new ProbeSource({ targets, intervalMs: this.options.probe.intervalMs }) : undefined;
    // Resolves once every target was probed once, so the new checks are complete when shown.
    await next?.start(this.options.onChange);
    this.source = next;
    await previous?.stop();
    this.options.onChange();
  }
}
