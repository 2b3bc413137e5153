/**
 * What the model test needs of a gateway, so that it can run against the project's
 * gateway (gatewayUnderTest.ts), a stock ApolloGateway (stockGateway.ts) or a new
 * serving core: start it over some subgraphs, flip their availability, point one at
 * another version, and read which supergraph it served when.
 */

/** A subgraph endpoint: its name and GraphQL URL. */
export interface SubgraphEndpoint {
  readonly name: string;
  readonly url: string;
}

/** A subgraph the gateway composes in by itself (e.g. `affordances`), as SDL. */
export interface OwnSubgraph extends SubgraphEndpoint {
  readonly sdl: string;
}

/** One schema swap: the supergraph served from `at` (process.hrtime.bigint()) on. */
export interface ServedRecord {
  readonly at: bigint;
  readonly supergraphSdl: string;
}

export interface GatewayUnderTest {
  /** The GraphQL endpoint (POST JSON). */
  readonly url: string;
  /** Every supergraph served, oldest first; the first one was served before `start` resolved. */
  readonly servedHistory: readonly ServedRecord[];
  /** Subgraphs the gateway adds to every supergraph; model clients never query their root fields. */
  readonly ownSubgraphs: readonly OwnSubgraph[];
  /** Root fields of `ownSubgraphs`. */
  readonly ownRootFields: ReadonlySet<string>;
  /** Called on every swap, right after it is recorded. */
  onServed(listener: (record: ServedRecord) => void): () => void;
  setAvailable(name: string, available: boolean): void;
  /** Points subgraph `name` at another server (a new SDL version). */
  setVersion(name: string, url: string): void;
  close(): Promise<void>;
}

/** Starts a gateway over `subgraphs`, all available. */
export type StartGatewayUnderTest = (subgraphs: readonly SubgraphEndpoint[]) => Promise<GatewayUnderTest>;

/** The served history and its listeners, for implementations of `GatewayUnderTest`. */
export class ServedLog {
  readonly history: ServedRecord[] = [];
  private readonly listeners = new Set<(record: ServedRecord) => void>();

  record(supergraphSdl: string): void {
    if (this.history.at(-1)?.supergraphSdl === supergraphSdl) return;
    const record = { at: process.hrtime.bigint(), supergraphSdl };
    this.history.push(record);
    for (const listener of this.listeners) listener(record);
  }

  subscribe(listener: (record: ServedRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
