import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { AffordanceState } from '../../affordances/affordanceState.js';
import { findUnavailableUses, operationUnavailableError } from '../../affordances/operationUnavailable.js';

const sameLocation = (a: GraphQLFormattedError, b: GraphQLFormattedError) =>
  a.locations?.[0]?.line === b.locations?.[0]?.line && a.locations?.[0]?.column === b.locations?.[0]?.column;

/**
 * Replaces "Cannot query field", "Unknown argument" and "Unknown type" validation errors
 * caused by an unavailable subgraph (or an element left out because it needs one) with OPERATION_UNAVAILABLE errors that name the subgraph and the
 * reason. Other validation errors are left as they are. Costs nothing on valid requests.
 */
export function operationUnavailablePlugin(state: AffordanceState): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, document, schema }) {
          if (response.body.kind !== 'single' || !document) return;
          const errors = response.body.singleResult.errors;
          if (!errors?.some((e) => e.extensions?.code === 'GRAPHQL_VALIDATION_FAILED')) return;
          const snapshot = state.get();
          if (!snapshot) return;
          const { subgraphs, removed } = snapshot.affordances;
          const uses = findUnavailableUses(document, schema, snapshot.catalog, subgraphs, removed);
          if (uses.length === 0) return;
          const friendly = uses.map((use) => operationUnavailableError(use).toJSON());
          const others = errors.filter((error) => !friendly.some((f) => sameLocation(f, error)));
          response.body.singleResult.errors = [...friendly, ...others];
        },
      };
    },
  };
}
