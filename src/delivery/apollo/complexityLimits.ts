import type { ApolloServerPlugin } from '@apollo/server';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { GraphQLError, GraphQLFormattedError, ParseOptions, ValidationContext, ValidationRule } from 'graphql';
import type { GatewayConfig } from '../../config/schema.js';
import { ErrorCode } from '../../platform/errorCodes.js';

export interface ComplexityLimits {
  readonly validationRules: ValidationRule[];
  readonly parseOptions: ParseOptions;
  readonly plugin: ApolloServerPlugin;
}

/** graphql-armor's messages (validation) and graphql-js 16's token limit (parsing; it says "more that"). */
const LIMIT_MESSAGE =
  /^Syntax Error: (Query depth limit|Aliases limit|Query Cost limit|Directives limit|Document contains more th(?:at|an))/;

const reportInstead = {
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
};

/**
 * Depth, alias, directive and cost limits (graphql-armor's validation rules) and a token
 * limit (graphql-js's parser); a rejected operation gets QUERY_TOO_COMPLEX with the limit
 * and what to do, instead of a "Syntax Error". Introspection is not depth-limited.
 */
export function complexityLimits(limits: GatewayConfig['limits']): ComplexityLimits {
  const rewrite = (error: GraphQLFormattedError): GraphQLFormattedError =>
    LIMIT_MESSAGE.test(error.message)
      ? {
          ...error,
          message: `${error.message.replace(/^Syntax Error: /, '').replace('more that', 'more than')} Simplify the operation or split it into several.`,
          extensions: { ...error.extensions, code: ErrorCode.QUERY_TOO_COMPLEX },
        }
      : error;
  return {
    // Report rejections as validation errors; thrown (the default) they become a 500.
    validationRules: [
      maxDepthRule({ n: limits.maxDepth, ignoreIntrospection: true, ...reportInstead }),
      maxAliasesRule({ n: limits.maxAliases, ...reportInstead }),
      maxDirectivesRule({ n: 50, ...reportInstead }),
      costLimitRule({ maxCost: limits.maxCost, ...reportInstead }),
    ],
    parseOptions: { maxTokens: limits.maxTokens },
    plugin: {
      async requestDidStart() {
        return {
          async willSendResponse({ response }) {
            if (response.body.kind !== 'single') return;
            const { singleResult } = response.body;
            if (singleResult.errors?.some((e) => LIMIT_MESSAGE.test(e.message))) {
              singleResult.errors = singleResult.errors.map(rewrite);
            }
          },
        };
      },
    },
  };
}
