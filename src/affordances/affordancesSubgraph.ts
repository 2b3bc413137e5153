import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { ErrorCode } from '../platform/errorCodes.js';
import type { AffordanceState } from './affordanceState.js';
import { affordancesTypeDefs } from './typeDefs.js';

/** The in-process subgraph that answers `affordances` from the current snapshot. */
export function affordancesSchema(state: AffordanceState): GraphQLSchema {
  return buildSubgraphSchema({
    typeDefs: affordancesTypeDefs,
    resolvers: {
      Query: {
        affordances: () => {
          const snapshot = state.get();
          if (!snapshot) {
            throw new GraphQLError('the gateway has not loaded a schema yet; retry shortly', {
              extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
            });
          }
          return snapshot.affordances;
        },
      },
    },
  });
}
