import { createHash } from 'node:crypto';
import type { GraphQLDataSource, ServiceMap } from '@apollo/gateway';
import { buildSchemaFromAST, type Schema } from '@apollo/federation-internals';
import type { QueryPlan } from '@apollo/query-planner';
import { buildASTSchema, parse, validateSchema, type GraphQLSchema } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { PlannerPool } from './planner/plannerPool.js';

/**
 * Everything one supergraph is served with, built together and never changed: the
 * supergraph, the API schema clients validate against, its query planner (on a
 * planner thread), its plan cache and the data sources of its subgraphs. A request
 * takes one state at its start and uses it for validation, planning and execution; a
 * swap replaces the reference to the whole state, so no request ever mixes two
 * supergraphs.
 */
export interface ServingState {
  /** sha256 of the supergraph SDL: two states with one id were built from the same input. */
  readonly id: string;
  readonly supergraphSdl: string;
  /** The supergraph as graphql-js sees it; execution reads entity types from it. */
  readonly supergraphSchema: GraphQLSchema;
  /** The API schema as federation sees it; result shaping reads it. */
  readonly apiSchema: Schema;
  /** The API schema clients validate against. */
  readonly schema: GraphQLSchema;
  /** The plan of a validated operation, planned once per query hash and operation name. */
  plan(key: string, query: string, operationName: string | undefined): Promise<QueryPlan>;
  readonly services: ServiceMap;
  /** Names of the subgraphs in the supergraph. */
  readonly subgraphs: ReadonlySet<string>;
}

export interface ServingStateOptions {
  planner: PlannerPool;
  /** The data source of a subgraph at a URL (shared between states: one pool per endpoint). */
  dataSourceFor(subgraph: { name: string; url: string }): GraphQLDataSource;
  /** Query plans kept per state. Default 1000. */
  planCacheSize?: number;
}

/**
 * Thrown by `buildServingState` when its supergraph stopped being wanted before the
 * state was built: not a failure, nothing to retry.
 */
export class SupersededBuild extends Error {
  constructor() {
    super('the supergraph is no longer wanted: its build stopped');
  }
}

export const supergraphId = (supergraphSdl: string) => createHash('sha256').update(supergraphSdl).digest('hex');

/**
 * Builds the serving state of a supergraph, through public APIs only. The planner thread
 * builds federation's supergraph and query planner; meanwhile this thread builds, from
 * the SDL texts and one step per turn of the event loop (so requests are served in
 * between), the three schemas execution reads: each a fraction of what building the
 * whole supergraph here would block for. Rejects when the supergraph cannot be served,
 * and with `SupersededBuild` once `signal` aborts (between two steps, or while waiting
 * for the planner thread, which then skips the build if it has not started it).
 */
export async function buildServingState(
  supergraphSdl: string,
  options: ServingStateOptions,
  signal?: AbortSignal,
): Promise<ServingState> {
  const id = supergraphId(supergraphSdl);
  const thread = options.planner.build(id, supergraphSdl);
  const superseded = whenAborted(signal, thread.cancel);
  const step = async () => {
    await Promise.race([nextTurn(), superseded]);
    // Aborted during the last synchronous step: `superseded` has not settled the race yet.
    if (signal?.aborted) await superseded;
  };
  // The SDLs come from federation (composition, the API schema printer), valid by
  // construction. Steps of at most tens of ms each at a hundred subgraphs. The
  // supergraph's own schema needs nothing from the planner thread: it is built while the
  // thread builds federation's supergraph.
  const supergraphSchema = buildASTSchema(parse(supergraphSdl, { noLocation: true }), { assumeValidSDL: true });
  await step();
  const { apiSdl, subgraphs: members } = await Promise.race([thread.schema, superseded]);
  await step();
  const apiDocument = parse(apiSdl, { noLocation: true });
  const schema = buildASTSchema(apiDocument, { assumeValidSDL: true });
  await step();
  // Apollo Server asserts the schema valid when it is swapped in; graphql-js keeps the
  // result on the schema, so validating here takes that work out of the swap.
  const invalid = validateSchema(schema);
  if (invalid.length) throw new Error(`the API schema is invalid: ${invalid.map((e) => e.message).join('; ')}`);
  await step();
  const apiSchema = buildSchemaFromAST(apiDocument);
  await step();
  await Promise.race([thread.built, superseded]);
  const services: ServiceMap = Object.create(null);
  for (const subgraph of members) services[subgraph.name] = options.dataSourceFor(subgraph);
  // Promises, so that concurrent requests for one new operation plan it once.
  const plans = new LRUCache<string, Promise<QueryPlan>>({ max: options.planCacheSize ?? 1000 });
  return {
    id,
    supergraphSdl,
    supergraphSchema,
    apiSchema,
    schema,
    plan(key, query, operationName) {
      let plan = plans.get(key);
      if (!plan) {
        plan = options.planner.plan(id, supergraphSdl, query, operationName);
        plans.set(key, plan);
        // A failed plan is not kept: the next request plans again.
        plan.catch(() => plans.delete(key));
      }
      return plan;
    },
    services,
    subgraphs: new Set(members.map((m) => m.name)),
  };
}

/**
 * Lets the requests in flight finish before the next step: one turn of the event loop is
 * not enough (a request takes several, for its socket reads, parsing and planning), and a
 * request caught across steps waits for all of them; a few milliseconds between steps
 * bound its wait by the longest step.
 */
const nextTurn = () => new Promise<void>((resolve) => setTimeout(resolve, STEP_GAP_MS));
const STEP_GAP_MS = 10;

/** Rejects with `SupersededBuild` once `signal` aborts (after calling `onAbort`); never settles otherwise. */
function whenAborted(signal: AbortSignal | undefined, onAbort: () => void): Promise<never> {
  const superseded = new Promise<never>((_, reject) => {
    const abort = () => {
      onAbort();
      reject(new SupersededBuild());
    };
    if (signal?.aborted) abort();
    else signal?.addEventListener('abort', abort, { once: true });
  });
  // Raced at every step; a build that ends another way must not leave it unhandled.
  superseded.catch(() => {});
  return superseded;
}
