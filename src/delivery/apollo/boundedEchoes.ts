import type { ApolloServerPlugin } from '@apollo/server';
import { boundEchoes } from '../../platform/echo.js';

/**
 * Cuts every value an error message repeats from the request (graphql-js quotes the
 * variable values, field and type names it complains about) to a bound, so a 100 KB
 * id gets a message of a few hundred bytes, not a 100 KB one.
 */
export function boundedEchoesPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { singleResult } = response.body;
          singleResult.errors = singleResult.errors?.map((error) => ({
            ...error,
            message: boundEchoes(error.message),
          }));
        },
      };
    },
  };
}
