import { buildOperationContext, executeQueryPlan } from '@apollo/gateway';
import type { GatewayExecutionResult, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { getVariableValues, type GraphQLSchema } from 'graphql';
import { inSpan, SpanKind } from '../platform/tracing.js';
import type { ServingState } from './servingState.js';

/**
 * Validates the variables of, plans and executes one request on one serving state:
 * what ApolloGateway's executor does, on the public `buildOperationContext`,
 * planning on the state's planner thread (see PlannerPool) and `executeQueryPlan`. Everything comes from `state`,
 * the state the request was validated against, never from whatever is current.
 *
 * A request the serving fast path has already executed (see `executedContext`) is not
 * executed again: its outcome is handed back, so Apollo Server shapes the answer of a
 * result with errors exactly as if it had executed the request itself.
 */
export function executeOnState(
  state: ServingState,
  requestContext: GatewayGraphQLRequestContext,
): Promise<GatewayExecutionResult> {
  const executed = (requestContext.context as ExecutedCarrier | undefined)?.[EXECUTED];
  // Only on the state it ran on: after a swap Apollo Server validated it against another
  // schema, and the fast path runs only queries, which are safe to run again.
  if (executed && executed.schema === requestContext.schema) {
    return 'error' in executed ? Promise.reject(executed.error) : Promise.resolve(executed.result);
  }
  // The span names ApolloGateway uses, so traces read the same as with the stock gateway.
  return inSpan('gateway.request', SpanKind.INTERNAL, () => execute(state, requestContext));
}

const EXECUTED = Symbol('executed on a serving state');

/** What a request executed on the state of `schema` came to: a result, or what execution threw. */
export type ExecutionOutcome = { readonly result: GatewayExecutionResult } | { readonly error: unknown };

type ExecutedCarrier = { readonly [EXECUTED]?: ExecutionOutcome & { readonly schema: GraphQLSchema } };

/**
 * More of a GraphQL context: this request was executed on the state of `schema`, with
 * this outcome, and must not be executed again (a symbol key: Apollo Server's copy of
 * the context keeps it, and nothing else can set it).
 */
export function executedContext(schema: GraphQLSchema, outcome: ExecutionOutcome): object {
  return { [EXECUTED]: { ...outcome, schema } };
}

async function execute(state: ServingState, requestContext: GatewayGraphQLRequestContext) {
  const { request, document, queryHash } = requestContext;
  const operationContext = buildOperationContext({
    schema: state.schema,
    operationDocument: document,
    operationName: request.operationName,
  });
  const variableDefinitions = operationContext.operation.variableDefinitions;
  if (variableDefinitions?.length) {
    const { errors } = getVariableValues(state.schema, variableDefinitions, request.variables ?? {});
    if (errors) return { errors };
  }
  // The query hash is hex: a space cannot be part of it, so the key is unambiguous without hashing again.
  const key = request.operationName ? `${queryHash} ${request.operationName}` : queryHash;
  const plan = await inSpan('gateway.plan', SpanKind.INTERNAL, () =>
    state.plan(key, requestContext.source, request.operationName),
  );
  return executeQueryPlan(
    plan,
    state.services,
    requestContext,
    operationContext,
    state.supergraphSchema,
    state.apiSchema,
  );
}
