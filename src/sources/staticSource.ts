import type { AvailabilitySource, CheckStatus } from '../availability/types.js';

/**
 * A source whose checks are set by hand: for tests, and for subgraphs an operator
 * wants to pin up or down. One check per subgraph, id "static".
 */
export class StaticSource implements AvailabilitySource {
  readonly name = 'static';
  private readonly checks = new Map<string, CheckStatus>();
  private onChange: () => void = () => {};

  constructor(initial: Record<string, boolean> = {}) {
    for (const [subgraph, ok] of Object.entries(initial)) this.record(subgraph, ok, ok ? 'set up' : 'set down');
  }

  async start(onChange: () => void): Promise<void> {
    this.onChange = onChange;
  }

  snapshot(): readonly CheckStatus[] {
    return [...this.checks.values()];
  }

  async stop(): Promise<void> {
    this.onChange = () => {};
  }

  /**
   * Marks a subgraph up or down, with the reason shown to clients, and optionally the
   * version signals a cluster would give (its pods, a rollout in progress).
   */
  set(
    subgraph: string,
    ok: boolean,
    reason: string = ok ? 'set up' : 'set down',
    signals: Pick<CheckStatus, 'endpoints' | 'rollout'> = {},
  ): void {
    this.record(subgraph, ok, reason, signals);
    this.onChange();
  }

  private record(
    subgraph: string,
    ok: boolean,
    reason: string,
    signals: Pick<CheckStatus, 'endpoints' | 'rollout'> = {},
  ): void {
    const before = this.checks.get(subgraph);
    const since = before && before.ok === ok ? before.since : new Date();
    this.checks.set(subgraph, { id: 'static', subgraph, ok, reason, since, ...signals });
  }
}
