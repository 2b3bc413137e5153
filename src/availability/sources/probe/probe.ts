/** The outcome of one probe. */
export type ProbeResult = { ok: true; detail: string } | { ok: false; reason: string };

/** Something probed on an interval, gating one or more subgraphs. */
export interface ProbeTarget {
  /** Check id, e.g. "http customers" or "grpc invoices-service". */
  readonly id: string;
  readonly subgraphs: readonly string[];
  /** Probes once; never throws, resolves within the configured timeout. */
  probe(): Promise<ProbeResult>;
  /** Releases connections. */
  close(): void;
}

interface ErrorLike {
  name?: string;
  message: string;
  cause?: unknown;
}

// Duck-typed: errors from fetch may come from another realm, where instanceof Error fails.
const isErrorLike = (value: unknown): value is ErrorLike =>
  typeof value === 'object' && value !== null && typeof (value as ErrorLike).message === 'string';

/** The message of an error and of its cause (fetch hides the socket error in `cause`). */
export function describeError(error: unknown): string {
  if (!isErrorLike(error)) return String(error);
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'no answer within the timeout';
  return isErrorLike(error.cause) ? `${error.message}: ${error.cause.message}` : error.message;
}
