/**
 * Entry point of the planner thread (see PlannerThread): builds federation's supergraph
 * and query planner for each supergraph the gateway serves, and plans operations on
 * them. Building a planner takes from milliseconds to most of a second; here it never
 * holds up the gateway's event loop.
 */
import { parentPort } from 'node:worker_threads';
import {
  defaultPrintOptions,
  operationFromDocument,
  printSchema,
  shallowOrderPrintedDefinitions,
  Supergraph,
  type Schema,
} from '@apollo/federation-internals';
import { QueryPlanner } from '@apollo/query-planner';
import { GraphQLError, parse } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { PlannerReply, PlannerRequest } from './plannerMessages.js';
import { SUPPORTED_FEATURES } from './supportedFeatures.js';

/**
 * Planners of the supergraphs built here lately. The serving core keeps 4 states and
 * builds on two threads in turn, so 3 each cover them and one being built; a planner is
 * tens of MB at a hundred subgraphs. One asked for after it was let go is built again.
 */
const planners = new LRUCache<string, { planner: QueryPlanner; apiSchema: Schema }>({ max: 3 });

const reply = (message: PlannerReply) => parentPort!.postMessage(message);

function handle(request: PlannerRequest): void {
  try {
    if (request.kind === 'build') {
      // Our own composition produced and validated it; validating again costs as much as the build.
      const supergraph = Supergraph.build(request.supergraphSdl, {
        validateSupergraph: false,
        supportedFeatures: new Set(SUPPORTED_FEATURES),
      });
      const apiSchema = supergraph.apiSchema();
      const apiSdl = printSchema(apiSchema, shallowOrderPrintedDefinitions(defaultPrintOptions));
      reply({ kind: 'schema', seq: request.seq, apiSdl, subgraphs: supergraph.subgraphsMetadata() });
      planners.set(request.id, { planner: new QueryPlanner(supergraph), apiSchema });
      return reply({ kind: 'built', seq: request.seq });
    }
    const held = planners.get(request.id);
    if (!held) return reply({ kind: 'failed', seq: request.seq, message: 'supergraph not held', unknown: true });
    const operation = operationFromDocument(held.apiSchema, parse(request.query), {
      operationName: request.operationName,
    });
    reply({ kind: 'plan', seq: request.seq, plan: held.planner.buildQueryPlan(operation) });
  } catch (error) {
    const extensions = error instanceof GraphQLError ? { ...error.extensions } : undefined;
    reply({ kind: 'failed', seq: request.seq, message: (error as Error).message ?? String(error), extensions });
  }
}

parentPort!.on('message', handle);
