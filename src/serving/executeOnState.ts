import { createHash } from 'node:crypto';
import { buildOperationContext, executeQueryPlan } from '@apollo/gateway';
import { operationFromDocument } from '@apollo/federation-internals';
import type { QueryPlan } from '@apollo/query-planner';
import type { GatewayExecutionResult, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { getVariableValues } from 'graphql';
import { inSpan, SpanKind } from '../platform/tracing.js';
import type { ServingState } from './servingState.js';

/**
 * Validates the variables of, plans and executes one request on one serving state:
 * what ApolloGateway's executor does, on the public `buildOperationContext`,
 * `QueryPlanner.buildQueryPlan` and `executeQueryPlan`. Everything comes from `state`,
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
  const key = request.operationName
    ? createHash('sha256').update(queryHash).update(request.operationName).digest('hex')
    : queryHash;
  let plan: QueryPlan | undefined = state.plans.get(key);
  if (!plan) {
    plan = await inSpan('gateway.plan', SpanKind.INTERNAL, async () => {
      const operation = operationFromDocument(state.apiSchema, document, { operationName: request.operationName });
      return state.planner.buildQueryPlan(operation);
    });
    state.plans.set(key, plan);
  }
  return executeQueryPlan(
    plan,
    state.services,
    requestContext,
    operationContext,
    state.supergraphSchema,
    state.apiSchema,
  );
}
