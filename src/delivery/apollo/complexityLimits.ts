import type { ApolloServerPlugin } from '@apollo/server';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  GraphQLError,
  Lexer,
  Source,
  TokenKind,
  type ParseOptions,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { ErrorCode } from '../../platform/errorCodes.js';

/** The limits an operation must stay within (config `limits`). */
export interface ComplexityLimitOptions {
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxCost: number;
  readonly maxTokens: number;
}

export interface ComplexityLimits {
  readonly validationRules: ValidationRule[];
  readonly parseOptions: ParseOptions;
  readonly validationOptions: { maxErrors: number };
  readonly plugin: ApolloServerPlugin;
}

const MAX_DIRECTIVES = 50;
/** Validation errors graphql-js reports before it gives up on a document (its default). */
export const MAX_VALIDATION_ERRORS = 100;
/** Validation errors kept in the answer to a document that has more than the maximum. */
const ERRORS_SHOWN = 10;

/**
 * Depth, alias, directive and cost limits (graphql-armor's validation rules, each
 * rejection reported through its `onReject` with the limit as data) and a token limit
 * (graphql-js's parser stops there; the tokens are counted again to tell that parse
 * failure from others); a rejected operation gets 400 QUERY_TOO_COMPLEX naming the limit
 * and what to do. Introspection is not depth-limited.
 */
export function complexityLimits(limits: ComplexityLimitOptions): ComplexityLimits {
  const rejectedBy = (limit: string, value: number, what: string) => ({
    // Reported as validation errors; thrown (graphql-armor's default) they become a 500.
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) =>
        context?.reportError(
          new GraphQLError(`the operation ${what} than limits.${limit} (${value}) allows; simplify it or split it`, {
            nodes: error.nodes,
            extensions: { limit },
          }),
        ),
    ],
  });
  return {
    validationRules: [
      maxDepthRule({
        n: limits.maxDepth,
        ignoreIntrospection: true,
        ...rejectedBy('maxDepth', limits.maxDepth, 'is deeper'),
      }),
      maxAliasesRule({ n: limits.maxAliases, ...rejectedBy('maxAliases', limits.maxAliases, 'has more aliases') }),
      maxDirectivesRule({ n: MAX_DIRECTIVES, ...rejectedBy('maxDirectives', MAX_DIRECTIVES, 'has more directives') }),
      costLimitRule({ maxCost: limits.maxCost, ...rejectedBy('maxCost', limits.maxCost, 'costs more') }),
    ],
    parseOptions: { maxTokens: limits.maxTokens },
    validationOptions: { maxErrors: MAX_VALIDATION_ERRORS },
    plugin: {
      async requestDidStart() {
        return {
          async willSendResponse({ response, source }) {
            if (response.body.kind !== 'single') return;
            const { singleResult } = response.body;
            const parseFailed = singleResult.errors?.some((e) => e.extensions?.code === 'GRAPHQL_PARSE_FAILED');
            if (parseFailed && countTokens(source, limits.maxTokens) > limits.maxTokens) {
              singleResult.errors = [tooManyTokens(limits.maxTokens)];
              return;
            }
            // graphql-js stops at maxErrors and adds an error of its own ("Validation aborted.").
            if (singleResult.errors && abortedValidation(singleResult.errors)) {
              singleResult.errors = [tooManyErrors(), ...singleResult.errors.slice(0, ERRORS_SHOWN)];
              return;
            }
            // Apollo Server gives every validation error its own code; ours carry the limit.
            if (!singleResult.errors?.some((e) => e.extensions?.limit)) return;
            singleResult.errors = singleResult.errors.map((error) =>
              error.extensions?.limit
                ? { ...error, extensions: { ...error.extensions, code: ErrorCode.QUERY_TOO_COMPLEX } }
                : error,
            );
          },
        };
      },
    },
  };
}

const tooManyTokens = (max: number) => ({
  message: `the operation has more tokens than limits.maxTokens (${max}) allows; simplify it or split it`,
  extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, limit: 'maxTokens' },
});

const tooManyErrors = () => ({
  message:
    `the operation has more than ${MAX_VALIDATION_ERRORS} validation errors, so it was not validated to the end; ` +
    `fix the first ${ERRORS_SHOWN} (below) and send it again`,
  extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, limit: 'maxValidationErrors' },
});

/** graphql-js's validation gave up: one error past the maximum, its own, which has no location. */
function abortedValidation(errors: readonly { locations?: readonly unknown[] }[]): boolean {
  return errors.length > MAX_VALIDATION_ERRORS && errors.at(-1)?.locations === undefined;
}

/**
 * Tokens in a document, counted up to `max + 1`. A token is at least one character, so a
 * source no longer than `max` is not lexed at all; a source that does not lex is left to
 * the parser to report.
 */
function countTokens(source: string, max: number): number {
  if (source.length <= max) return 0;
  const lexer = new Lexer(new Source(source));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) if (++count > max) break;
  } catch {
    return 0;
  }
  return count;
}
