import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { ErrorCode } from '../../platform/errorCodes.js';
import { describeRequirement } from '../../serving/access/accessRequirements.js';
import { callerOf } from '../../serving/access/caller.js';
import { findDeniedUses, type DeniedUse } from '../../serving/access/deniedUses.js';
import type { ServedRequirements } from '../../serving/access/servedRequirements.js';
import { bearerChallenge } from './bearerChallenge.js';

/**
 * Authorization from the schema: before execution (after validation, on the state the
 * request was validated against), an operation selecting a field the caller may not use
 * (`@authenticated`, `@requiresScopes`) is refused whole, nothing sent to any subgraph.
 * No token where one is needed: 401 UNAUTHENTICATED with a Bearer challenge. A token
 * without the scope: 403 FORBIDDEN naming the field and the scope (RFC 6750
 * `insufficient_scope`). Each error names the field like OPERATION_UNAVAILABLE does.
 */
export function authorizationPlugin(requirements: ServedRequirements): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async responseForOperation({ schema, document, operation, contextValue }) {
          const denied = deniedUses(requirements, schema, document, operation, contextValue);
          if (denied.length === 0) return null;
          const unauthenticated = denied.some((use) => use.denial.kind === 'unauthenticated');
          const headers = new HeaderMap();
          const missing = [
            ...new Set(denied.flatMap((use) => (use.denial.kind === 'forbidden' ? use.denial.missing : []))),
          ];
          headers.set(
            'www-authenticate',
            unauthenticated ? bearerChallenge() : bearerChallenge({ error: 'insufficient_scope', scope: missing }),
          );
          return {
            http: { status: unauthenticated ? 401 : 403, headers },
            body: { kind: 'single', singleResult: { errors: denied.map((use) => deniedError(use).toJSON()) } },
          };
        },
      };
    },
  };
}

/** What of `operation` the caller in the GraphQL context may not use, on the state whose API schema is `schema`. */
export function deniedUses(
  requirements: ServedRequirements,
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  context: unknown,
): DeniedUse[] {
  return findDeniedUses(schema, document, operation, requirements.of(schema), callerOf(context));
}

/** "field Mutation.createInvoice requires scope invoices:write, which this caller's token does not grant." */
export function deniedError(use: DeniedUse): GraphQLError {
  const what = use.coordinate.includes('.') ? `field ${use.coordinate}` : `type ${use.coordinate}`;
  const via = use.via ? ` (through ${use.via.includes('.') ? 'field' : 'type'} ${use.via})` : '';
  const requirement = describeRequirement(use.requirement);
  const { denial } = use;
  const message =
    denial.kind === 'unauthenticated'
      ? `${what} ${requirement}${via}: send a token. Query \`affordances\` for what can be called without one.`
      : `${what} ${requirement}${via}, which this caller's token does not grant (missing ${denial.missing.join(', ')}). ` +
        'Query `affordances` for what this caller can call.';
  return new GraphQLError(message, {
    nodes: use.nodes,
    extensions: {
      code: denial.kind === 'unauthenticated' ? ErrorCode.UNAUTHENTICATED : ErrorCode.FORBIDDEN,
      coordinate: use.coordinate,
      ...(use.via && { via: use.via }),
      reason: requirement,
      ...(denial.kind === 'forbidden' && { missingScopes: denial.missing }),
    },
  });
}
