/** The outcome of one probe. */
export type ProbeResult = { ok: true; detail: string } | { ok: false; reason: string };

/** Something probed on an interval, gating one or more subgraphs. */
export interface ProbeTarget {
  /** Check id, e.g. "http customers" or "grpc invoices-service". */
  readonly id: string;
  readonly subgraphs: readonly string[];
  /** The backend it probes (a key of the config's `backends`); absent for a subgraph's own endpoint. */
  readonly backend?: string;
  /** Probes once; never throws, resolves within the configured timeout. */
  probe(): Promise<ProbeResult>;
  /** Releases connections. */
  close(): void;
}
