import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../src/platform/errorCodes.js';

/** A GraphQL error for an invalid argument, naming the argument so clients can point at it. */
export function badUserInput(argument: string, message: string): GraphQLError {
  return new GraphQLError(`${argument}: ${message}`, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, argument },
  });
}
