import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../platform/errorCodes.js';

/**
 * How a subgraph's own GraphQL errors reach clients: `redact` (the default) replaces each
 * with a message of the gateway's naming the subgraph and keeps only a safe code;
 * `passthrough` keeps the subgraph's message and extensions but no stack trace; `debug`
 * (`server.debug`) keeps everything as the subgraph sent it.
 */
export type SubgraphErrorMode = 'redact' | 'passthrough' | 'debug';

/** The code a GraphQL server gives a document it cannot validate: the schema-mismatch rewrite turns it into the gateway's own error. */
export const SUBGRAPH_VALIDATION_CODE = 'GRAPHQL_VALIDATION_FAILED';

/** What a client may do about each code a redacted error keeps; any other code becomes INTERNAL_SERVER_ERROR. */
const HINT_OF_CODE: Readonly<Record<string, string>> = {
  [ErrorCode.BAD_USER_INPUT]: 'an argument is invalid; check it against the field’s description',
  [ErrorCode.NOT_FOUND]: 'the object does not exist',
  [ErrorCode.BACKEND_UNAVAILABLE]: 'a backend it calls is unavailable; retry later',
  [ErrorCode.OPERATION_UNAVAILABLE]: 'part of the operation is unavailable; query affordances for what can be called',
  [ErrorCode.QUERY_TOO_COMPLEX]: 'the operation is too complex for it; ask for less',
  [ErrorCode.RATE_LIMITED]: 'too many requests; retry later',
  UNAUTHENTICATED: 'the request is not authenticated',
  FORBIDDEN: 'the request is not allowed',
};

/** Codes a redacted subgraph error keeps (see HINT_OF_CODE); the README lists them. */
export const SAFE_SUBGRAPH_CODES: readonly string[] = Object.keys(HINT_OF_CODE);

/** Extensions that carry stack traces (Apollo Server 4+ and 2/3): never for clients but in debug mode. */
const STACK_EXTENSIONS = ['stacktrace', 'exception'];

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;

/**
 * The subgraph's answer with its errors in the form `mode` allows; validation errors are
 * left for the schema-mismatch rewrite. `requestId` is named in redacted messages, where
 * the gateway's log has the original. The same response when nothing changes. Pure.
 */
export function redactSubgraphErrors(
  subgraph: string,
  response: GatewayGraphQLResponse,
  mode: SubgraphErrorMode,
  requestId: string | undefined,
): GatewayGraphQLResponse {
  if (!response.errors?.length || mode === 'debug') return response;
  const redact = mode === 'redact' ? redacted : withoutStacks;
  const errors = response.errors.map((error) =>
    error.extensions?.code === SUBGRAPH_VALIDATION_CODE ? error : redact(subgraph, error, requestId),
  );
  return errors.every((error, i) => error === response.errors![i]) ? response : { ...response, errors };
}

function withoutStacks(_subgraph: string, error: GraphQLFormattedError): GraphQLFormattedError {
  if (!error.extensions || !STACK_EXTENSIONS.some((key) => key in error.extensions!)) return error;
  const extensions = Object.fromEntries(
    Object.entries(error.extensions).filter(([key]) => !STACK_EXTENSIONS.includes(key)),
  );
  return { ...error, extensions };
}

function redacted(
  subgraph: string,
  error: GraphQLFormattedError,
  requestId: string | undefined,
): GraphQLFormattedError {
  const sent = error.extensions?.code;
  const safe = typeof sent === 'string' && sent in HINT_OF_CODE;
  const code = safe ? sent : ErrorCode.INTERNAL_SERVER_ERROR;
  const argument = error.extensions?.argument;
  const named = code === ErrorCode.BAD_USER_INPUT && typeof argument === 'string' && GRAPHQL_NAME.test(argument);
  const detail = safe
    ? `${HINT_OF_CODE[code]}${named ? ` (argument ${argument})` : ''}`
    : `it failed; the details are in the gateway's log${requestId ? ` under request id ${requestId}` : ''}`;
  return {
    message: `subgraph ${subgraph} answered ${code}: ${detail}`,
    ...(error.path && { path: error.path }),
    extensions: { code, subgraph, ...(named && { argument }) },
  };
}
