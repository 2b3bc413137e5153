import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { ErrorCode } from '../platform/errorCodes.js';
import { SUBGRAPH_VALIDATION_CODE } from './subgraphErrors.js';

/** Characters of the subgraph's own validation message the rewrite repeats, at most. */
const MAX_QUOTED_CHARS = 300;

/**
 * A subgraph's answer, with its validation errors put in the gateway's words. The gateway
 * only sends a subgraph what its schema says it has, so such an error means the version
 * that answered is not the one composed (a window no signal showed): the client gets
 * OPERATION_UNAVAILABLE saying so, not the subgraph's own code. Undefined when the answer
 * has no such error. Pure.
 */
export function explainSchemaMismatch(
  subgraph: string,
  response: GatewayGraphQLResponse,
): GatewayGraphQLResponse | undefined {
  const errors = response.errors;
  if (!errors?.some((e) => e.extensions?.code === SUBGRAPH_VALIDATION_CODE)) return undefined;
  return {
    ...response,
    errors: errors.map((error) =>
      error.extensions?.code !== SUBGRAPH_VALIDATION_CODE
        ? error
        : {
            message:
              `subgraph ${subgraph} answered that it does not have part of this operation (${error.message.slice(0, MAX_QUOTED_CHARS)}); ` +
              'its schema is being refreshed, so retry shortly and see the affordances query for what is available',
            extensions: { code: ErrorCode.OPERATION_UNAVAILABLE, subgraph, reason: 'schema mismatch' },
          },
    ),
  };
}
