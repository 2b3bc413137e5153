/**
 * Entry point of the planner thread (see PlannerThread): builds federation's supergraph
 * and query planner for each supergraph the gateway serves, and plans operations on
 * them. Building a planner takes from milliseconds to most of a second; here it never
 * holds up the gateway's event loop.
 */
import { parentPort, receiveMessageOnPort } from 'node:worker_threads';
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
const planners = new LRUCache<string, Held>({ max: 3 });

interface Held {
  readonly planner: QueryPlanner;
  readonly apiSchema: Schema;
  readonly schema: Omit<Extract<PlannerReply, { kind: 'schema' }>, 'seq'>;
}

const reply = (message: PlannerReply) => parentPort!.postMessage(message);

function handle(request: Exclude<PlannerRequest, { kind: 'cancel' }>): void {
  try {
    if (request.kind === 'build') {
      // Built before (the serving core let its state go, the thread kept the planner).
      const known = planners.get(request.id);
      if (known) {
        reply({ ...known.schema, seq: request.seq });
        return reply({ kind: 'built', seq: request.seq });
      }
      // Our own composition produced and validated it; validating again costs as much as the build.
      const supergraph = Supergraph.build(request.supergraphSdl, {
        validateSupergraph: false,
        supportedFeatures: new Set(SUPPORTED_FEATURES),
      });
      const apiSchema = supergraph.apiSchema();
      const apiSdl = printSchema(apiSchema, shallowOrderPrintedDefinitions(defaultPrintOptions));
      const schema = { kind: 'schema', apiSdl, subgraphs: supergraph.subgraphsMetadata() } as const;
      reply({ ...schema, seq: request.seq });
      planners.set(request.id, { planner: new QueryPlanner(supergraph), apiSchema, schema });
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

/** Requests received and not yet handled, in order. */
const queue: PlannerRequest[] = [];

/**
 * Takes every message waiting on the port before handling the next: a build the serving
 * core cancelled while this thread was busy is then skipped instead of built for nothing.
 */
function drain(): void {
  for (;;) {
    for (let next = receiveMessageOnPort(parentPort!); next; next = receiveMessageOnPort(parentPort!)) {
      queue.push(next.message as PlannerRequest);
    }
    const request = queue.shift();
    if (!request) return;
    if (request.kind === 'cancel') continue;
    if (request.kind === 'build' && queue.some((r) => r.kind === 'cancel' && r.seq === request.seq)) {
      reply({ kind: 'failed', seq: request.seq, message: 'cancelled' });
      continue;
    }
    handle(request);
  }
}

parentPort!.on('message', (request: PlannerRequest) => {
  queue.push(request);
  drain();
});
