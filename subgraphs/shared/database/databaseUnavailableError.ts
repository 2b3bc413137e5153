import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../../src/platform/errorCodes.js';

/** The backend name a subgraph's errors and health give its database (`extensions.backend`). */
export const DATABASE_BACKEND = 'database';

/**
 * The GraphQL error of a subgraph whose database is unavailable: BACKEND_UNAVAILABLE, with
 * `extensions.backend` naming the database, so a probe or a client can tell what is down
 * without reading the message.
 */
export function databaseUnavailableError(subgraph: string, reason: string): GraphQLError {
  return new GraphQLError(`${subgraph}: database unavailable (${reason}); retry later`, {
    extensions: { code: ErrorCode.BACKEND_UNAVAILABLE, backend: DATABASE_BACKEND },
  });
}
