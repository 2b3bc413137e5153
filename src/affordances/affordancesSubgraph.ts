import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { ErrorCode } from '../platform/errorCodes.js';
import type { AffordanceState } from './affordanceState.js';
import { affordancesTypeDefs } from './typeDefs.js';
import type { CallerViews } from './callerViews.js';
import { callerOf } from '../serving/access/caller.js';

/**
 * The in-process subgraph that answers `affordances` from the current snapshot, as the
 * caller in the GraphQL context sees it (LocalGraphQLDataSource hands the context on)
 * when `views` is given.
 */
export function affordancesSchema(state: AffordanceState, views?: CallerViews): GraphQLSchema {
  return buildSubgraphSchema({
    typeDefs: affordancesTypeDefs,
    resolvers: {
      Query: {
        affordances: (_root: unknown, _args: unknown, context: unknown) => {
          const snapshot = state.get();
          if (!snapshot) {
            throw new GraphQLError('the gateway has not loaded a schema yet; retry shortly', {
              extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
            });
          }
          return views ? views.viewOf(snapshot, callerOf(context)) : snapshot.affordances;
        },
      },
    },
  });
}
