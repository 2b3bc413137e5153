/**
 * Every `extensions.code` this project puts on a GraphQL error. Clients may switch on
 * these; they are part of the public interface and do not change meaning.
 */
export const ErrorCode = {
  /** The operation uses a field of a subgraph that is not available now; see `affordances`. */
  OPERATION_UNAVAILABLE: 'OPERATION_UNAVAILABLE',
  /** A backend a subgraph calls is down or too slow; retrying later may succeed. */
  BACKEND_UNAVAILABLE: 'BACKEND_UNAVAILABLE',
  /** An argument is invalid; the message says which and why. */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** The requested object does not exist. */
  NOT_FOUND: 'NOT_FOUND',
  /** The operation is too deep, has too many aliases or tokens, or costs too much. */
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  /** The client sent more requests than its rate allows; see Retry-After. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** Too many change streams are open; see Retry-After. */
  STREAM_UNAVAILABLE: 'STREAM_UNAVAILABLE',
  /** The document has no operation of the given operationName, or several and no operationName (400). */
  OPERATION_RESOLUTION_FAILURE: 'OPERATION_RESOLUTION_FAILURE',
  /** A browser page on an origin not in `server.cors.origins` called the gateway (403). */
  ORIGIN_NOT_ALLOWED: 'ORIGIN_NOT_ALLOWED',
  /** The token does not verify (bad signature, expired, wrong issuer or audience), or the operation needs one and none was sent (401 with WWW-Authenticate). */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** The caller's token lacks a scope a field of the operation requires; `extensions` name the field and the scope (403). */
  FORBIDDEN: 'FORBIDDEN',
  /** The HTTP request itself is malformed (body not JSON, too large, wrong method). */
  BAD_REQUEST: 'BAD_REQUEST',
  /** An unexpected failure; details are in the server log under the request id. */
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
