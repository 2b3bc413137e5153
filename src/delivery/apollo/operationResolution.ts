import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type DocumentNode } from 'graphql';
import { echo } from '../../platform/echo.js';
import { ErrorCode } from '../../platform/errorCodes.js';

/** Operation names an error lists before it says how many more there are. */
const MAX_LISTED = 10;

/**
 * Answers a request whose document has no operation to run (an `operationName` it does
 * not define, or several operations and no `operationName`) with 400
 * OPERATION_RESOLUTION_FAILURE naming the operations it has, before execution: it is the
 * client's mistake, which the gateway executor would otherwise report as a 500.
 */
export function operationResolutionPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request }) {
          if (operation) return;
          throw operationResolutionError(document, request.operationName ?? undefined);
        },
      };
    },
  };
}

export function operationResolutionError(document: DocumentNode, operationName: string | undefined): GraphQLError {
  const names = document.definitions.flatMap((d) =>
    d.kind === Kind.OPERATION_DEFINITION ? [d.name ? echo(d.name.value) : '(anonymous)'] : [],
  );
  const listed =
    names.length > MAX_LISTED
      ? `${names.slice(0, MAX_LISTED).join(', ')} and ${names.length - MAX_LISTED} more`
      : names.join(', ');
  const message =
    operationName !== undefined
      ? `the document has no operation named ${echo(operationName)} (it has ${listed || 'none'}); send the name of one of them as operationName`
      : `the document has ${names.length} operations (${listed}) and no operationName says which to run; send the name of one of them as operationName`;
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.OPERATION_RESOLUTION_FAILURE, http: { status: 400 } },
  });
}
