import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { echo } from '../platform/echo.js';
import { ErrorCode } from '../platform/errorCodes.js';
import type { AffordanceState } from './affordanceState.js';
import { affordancesTypeDefs } from './typeDefs.js';
import type { CallerViews } from './callerViews.js';
import { callerOf } from '../serving/access/caller.js';
import type { HistoryRecorder } from './historyRecorder.js';
import { historySince } from './historySince.js';

/**
 * The in-process subgraph that answers `affordances` from the current snapshot, as the
 * caller in the GraphQL context sees it (LocalGraphQLDataSource hands the context on)
 * when `views` is given, and `affordances { history }` from the recorder.
 */
export function affordancesSchema(
  state: AffordanceState,
  history: HistoryRecorder,
  views?: CallerViews,
): GraphQLSchema {
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
      Affordances: {
        history: (_parent: unknown, args: { since?: string | null; subgraph?: string | null }) => {
          let sinceMs: number | undefined;
          if (args.since != null) {
            sinceMs = historySince(args.since, Date.now());
            if (sinceMs === undefined) {
              throw new GraphQLError(
                `since: ${echo(args.since, 64)} is neither an RFC 3339 time (2026-05-01T10:00:00Z) ` +
                  'nor a duration back from now (90s, 15m, 1h, 7d)',
                { extensions: { code: ErrorCode.BAD_USER_INPUT } },
              );
            }
          }
          return history.query({ sinceMs, subgraph: args.subgraph ?? undefined });
        },
      },
    },
  });
}
