/** The claims of a verified token, as jose returns them. */
export type Claims = Readonly<Record<string, unknown>>;

/**
 * Who sends a request: anonymous (no token, or authentication is off) or the subject of
 * a verified token, with its scopes (from the configured claim) and every claim.
 */
export type Caller =
  | { readonly authenticated: false }
  | {
      readonly authenticated: true;
      readonly subject?: string;
      readonly scopes: ReadonlySet<string>;
      readonly claims: Claims;
    };

export const ANONYMOUS: Caller = Object.freeze({ authenticated: false });

/** What the GraphQL context holds of the caller (set by the delivery layer's authentication). */
export interface CallerContext {
  readonly caller?: Caller;
}

/** The caller a GraphQL context carries; anonymous when it carries none. */
export function callerOf(context: unknown): Caller {
  const caller = (context as CallerContext | undefined)?.caller;
  return caller ?? ANONYMOUS;
}
