import { buildOperationContext, executeQueryPlan } from '@apollo/gateway';
import type { GatewayExecutionResult, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { getVariableValues } from 'graphql';
import { inSpan, SpanKind } from '../platform/tracing.js';
import type { ServingState } from './servingState.js';

/**
 * Validates the variables of, plans and executes one request on one serving state:
 * what ApolloGateway's executor does, on the public `buildOperationContext`,
 * planning on the state's planner thread (see PlannerPool) and `executeQueryPlan`. Everything comes from `state`,
 * the state the request was validated against, never from whatever is current.
 */
export function executeOnState(
  state: ServingState,
  requestContext: GatewayGraphQLRequestContext,
): Promise<GatewayExecutionResult> {
  // The span names ApolloGateway uses, so traces read the same as with the stock gateway.
  return inSpan('gateway.request', SpanKind.INTERNAL, () => execute(state, requestContext));
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
