import CircuitBreaker from 'opossum';
import type { Logger } from '../platform/logger.js';
import type { AvailabilitySource, CheckStatus } from '../availability/types.js';
import type { ProbeTarget } from './probe/probe.js';

export interface CircuitBreakerOptions {
  /** Share of failed fetches in the window that opens a circuit. */
  errorPercentage: number;
  /** Fetches needed in the window before a circuit may open. */
  minimumRequests: number;
  windowMs: number;
  /** Time an open circuit waits before its trial probe. */
  resetMs: number;
  /** The trial for a half-open circuit: an open circuit takes the subgraph out of the schema, so no real request can be the trial. */
  trialProbe: (subgraph: string) => ProbeTarget;
  logger: Logger;
}

interface Circuit {
  readonly breaker: CircuitBreaker<[() => Promise<unknown>], unknown>;
  lastFailure: string;
  since: Date;
}

/**
 * One circuit breaker (opossum) per subgraph, fed by the gateway's fetches. An open
 * circuit is an availability check that fails, so the subgraph leaves the supergraph and
 * `affordances` says "circuit open" with the reason; after `resetMs` the circuit is
 * half-open and a probe decides whether it closes or opens again.
 */
export class CircuitBreakerSource implements AvailabilitySource {
  readonly name = 'circuit';
  private readonly circuits = new Map<string, Circuit>();
  private onChange: () => void = () => {};

  constructor(private readonly options: CircuitBreakerOptions) {}

  async start(onChange: () => void): Promise<void> {
    this.onChange = onChange;
  }

  async stop(): Promise<void> {
    for (const { breaker } of this.circuits.values()) breaker.shutdown();
    this.circuits.clear();
  }

  /** Runs one fetch of `subgraph` through its breaker; a rejection counts as a failure. */
  guard<T>(subgraph: string, fetch: () => Promise<T>, describe: (error: unknown) => string): Promise<T> {
    const circuit = this.circuitOf(subgraph);
    return circuit.breaker.fire(async () => {
      try {
        return await fetch();
      } catch (error) {
        circuit.lastFailure = describe(error);
        throw error;
      }
    }) as Promise<T>;
  }

  snapshot(): readonly CheckStatus[] {
    return [...this.circuits.entries()].flatMap(([subgraph, circuit]) => {
      const { breaker } = circuit;
      if (breaker.closed) return [];
      const state = breaker.halfOpen
        ? 'half-open, probing'
        : `open, trial in ${Math.round(this.options.resetMs / 1000)} s`;
      return [
        {
          id: `circuit ${subgraph}`,
          subgraph,
          ok: false,
          reason: `circuit ${state} after failed fetches (last: ${circuit.lastFailure})`,
          since: circuit.since,
        },
      ];
    });
  }

  private circuitOf(subgraph: string): Circuit {
    const existing = this.circuits.get(subgraph);
    if (existing) return existing;
    const { errorPercentage, minimumRequests, windowMs, resetMs, logger } = this.options;
    const breaker = new CircuitBreaker((action: () => Promise<unknown>) => action(), {
      timeout: false, // the data source has its own deadline
      errorThresholdPercentage: errorPercentage,
      volumeThreshold: minimumRequests,
      rollingCountTimeout: windowMs,
      resetTimeout: resetMs,
    });
    const circuit: Circuit = { breaker, lastFailure: 'none', since: new Date() };
    breaker.on('open', () => {
      circuit.since = new Date();
      logger.warn({ subgraph, lastFailure: circuit.lastFailure }, `circuit of subgraph ${subgraph} opened`);
      this.onChange();
    });
    breaker.on('halfOpen', () => {
      this.onChange();
      const probe = this.options.trialProbe(subgraph);
      void breaker
        .fire(async () => {
          const result = await probe.probe();
          if (!result.ok) throw new Error(result.reason);
        })
        .catch((error: unknown) => (circuit.lastFailure = (error as Error).message))
        .finally(() => probe.close());
    });
    breaker.on('close', () => {
      circuit.since = new Date();
      logger.info({ subgraph }, `circuit of subgraph ${subgraph} closed`);
      this.onChange();
    });
    this.circuits.set(subgraph, circuit);
    return circuit;
  }
}
