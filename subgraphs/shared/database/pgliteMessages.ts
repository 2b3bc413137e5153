/**
 * What the main thread asks of a PGlite thread (see pgliteThread.ts), which runs one
 * embedded database at a time: `open`, statements, `close`, then maybe `open` again.
 * One reply per request, in order.
 */
export type PgliteRequest =
  | { readonly id: number; readonly op: 'open'; readonly folder?: string }
  | { readonly id: number; readonly op: 'query'; readonly sql: string; readonly params: readonly unknown[] }
  | { readonly id: number; readonly op: 'exec'; readonly sql: string }
  | { readonly id: number; readonly op: 'close' };

/** A failure as it crosses the thread boundary: its message and SQLSTATE, nothing live. */
export interface PgliteFailure {
  readonly message: string;
  readonly code?: string;
}

export type PgliteReply =
  | { readonly id: number; readonly ok: true; readonly rows?: readonly object[] }
  | { readonly id: number; readonly ok: false; readonly error: PgliteFailure };
