/**
 * Entry point of the planner thread (see PlannerThread): builds federation's supergraph
 * and query planner for each supergraph the gateway serves, and plans operations on
 * them (PlannerHost). Building a planner takes from milliseconds to most of a second;
 * here it never holds up the gateway's event loop.
 */
import { parentPort, receiveMessageOnPort } from 'node:worker_threads';
import type { PlannerReply, PlannerRequest } from './plannerMessages.js';
import { isPlannerFailure, PlannerHost } from './plannerHost.js';

const host = new PlannerHost();
const reply = (message: PlannerReply) => parentPort!.postMessage(message);

function handle(request: Exclude<PlannerRequest, { kind: 'cancel' }>): void {
  const { seq } = request;
  if (request.kind === 'build') {
    const failed = host.build(request.id, request.supergraphSdl, (schema) => reply({ kind: 'schema', seq, ...schema }));
    return reply(failed ? { kind: 'failed', seq, ...failed } : { kind: 'built', seq });
  }
  const plan = host.plan(request.id, request.query, request.operationName);
  reply(isPlannerFailure(plan) ? { kind: 'failed', seq, ...plan } : { kind: 'plan', seq, plan });
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
      reply({ kind: 'failed', seq: request.seq, failed: true, message: 'cancelled' });
      continue;
    }
    handle(request);
  }
}

parentPort!.on('message', (request: PlannerRequest) => {
  queue.push(request);
  drain();
});
