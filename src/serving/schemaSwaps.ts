import { operationFromDocument, operationToDocument, type Operation, type Schema } from '@apollo/federation-internals';
import type { ApolloGateway } from '@apollo/gateway';
import { buildASTSchema, parse, type GraphQLSchema } from 'graphql';
import type { SupergraphDescription } from '../composition/supergraphManager.js';
import type { Logger } from '../platform/logger.js';
import { queryPlanSubgraphs } from './queryPlanSubgraphs.js';

/** What ApolloGateway builds for one supergraph: its schemas, query planner and plan cache. */
interface GatewayState {
  compositionId: string;
  supergraphSdl: string;
  supergraphSchema: GraphQLSchema;
  apiSchema: Schema;
  schema: GraphQLSchema;
  queryPlanner: QueryPlanner;
  queryPlanStore: PlanStore;
}

/** The part of @apollo/query-planner's QueryPlanner the gateway's executor uses. */
interface QueryPlanner {
  buildQueryPlan(operation: Operation, options?: object): unknown;
}

const STATE_FIELDS = [
  'compositionId',
  'supergraphSdl',
  'supergraphSchema',
  'apiSchema',
  'schema',
  'queryPlanner',
  'queryPlanStore',
] as const;

/** The part of ApolloGateway's query plan cache (an InMemoryLRUCache) its executor uses. */
interface PlanStore {
  get(key: string): Promise<unknown>;
  set(key: string, plan: unknown): Promise<void>;
  clear(): void;
}

type SchemaLoad = { apiSchema: GraphQLSchema; coreSupergraphSdl: string };

/** The private parts of ApolloGateway 2.x this relies on; checked at start, off when absent. */
interface GatewayInternals extends Partial<GatewayState> {
  updateWithSupergraphSdl(result: { supergraphSdl: string; id: string }): void;
  getIdForSupergraphSdl(supergraphSdl: string): string;
  initQueryPlanStore(approximateQueryPlanStoreMiB?: number): PlanStore;
  onSchemaChangeListeners: Set<(schema: GraphQLSchema) => void>;
  onSchemaLoadOrUpdateListeners: Set<(load: SchemaLoad) => void>;
}

/** One build of a supergraph's gateway state, for metrics. */
export interface SchemaBuildEvent {
  /** `swap`: the swap waited for it; `deferred`: after a swap served before building; `ahead`: before any need. */
  readonly when: 'swap' | 'deferred' | 'ahead';
  readonly durationMs: number;
}

export interface SchemaSwapsOptions {
  logger: Logger;
  /** Supergraphs whose gateway state is kept. Default 4. */
  capacity?: number;
  /**
   * Supergraphs composed ahead of need are also built ahead of need when their SDL is
   * shorter than this: building then blocks the event loop about as long as a minor GC
   * (a few ms per 10 kB once warm), while a large one would stall requests. Default 20000.
   */
  prebuildBelowChars?: number;
  /**
   * The API schema and subgraphs of a supergraph, when composition knows them (see
   * SupergraphManager.describe); without them every new supergraph is built at once.
   */
  describe?: (supergraphSdl: string) => SupergraphDescription | undefined;
  /**
   * A supergraph served before it was built (see `SchemaSwaps`) is built once no other
   * swap has come for this long, or as soon as a query needs a subgraph it lacks. Default 500.
   */
  buildAfterMs?: number;
  onBuild?: (event: SchemaBuildEvent) => void;
}

/** A supergraph served with the previous state's query planner until its own is built. */
interface ServedBeforeBuilt {
  readonly result: { supergraphSdl: string; id: string };
  readonly members: SupergraphDescription['members'];
  readonly schema: GraphQLSchema;
  readonly timer: NodeJS.Timeout;
}

/**
 * Makes ApolloGateway's schema swaps cheap. On every swap the gateway otherwise rebuilds
 * the supergraph schema, the API schema and the query planner (tens of ms for two
 * subgraphs, most of a second for a hundred) on the event loop, and drops every cached
 * query plan. Here:
 *
 * - **Known supergraphs are reused.** Each supergraph's state (schemas, planner, its own
 *   plan cache) is built once, by the gateway's own code on a detached copy of it, kept
 *   for the last `capacity` supergraphs, and installed when served again: a subgraph that
 *   flaps, or comes back, costs a pointer swap and keeps its plans.
 * - **A smaller supergraph is served before it is built.** When the new supergraph has
 *   some of the subgraphs the current planner knows, unchanged (same SDL and URL), and no
 *   other (a subgraph went down), the
 *   gateway at once serves its API schema, built from the SDL composition printed (about
 *   a twentieth of a full build), and keeps planning with the current planner: a plan
 *   that fetches only from subgraphs still in the supergraph is a correct plan for it.
 *   The first plan that would fetch from a removed subgraph, or `buildAfterMs` without
 *   another swap, builds the new state, and that query is planned on it. Clients see the
 *   change in milliseconds, and a subgraph that comes back before then costs no build.
 *
 * It reads and writes private fields of ApolloGateway 2.x; when they are not there (a
 * release that changed them) it stays off and the gateway works as it always does.
 */
export class SchemaSwaps {
  private readonly states = new Map<string, GatewayState>();
  private readonly internals: GatewayInternals;
  private readonly build: (result: { supergraphSdl: string; id: string }) => void;
  private readonly capacity: number;
  /** The state whose query planner is in use, and its subgraphs when known. */
  private planning?: GatewayState;
  private planningMembers?: SupergraphDescription['members'];
  private unbuilt?: ServedBeforeBuilt;
  private pending: string[] = [];
  private prebuilding = false;
  readonly enabled: boolean;

  constructor(
    gateway: ApolloGateway,
    private readonly options: SchemaSwapsOptions,
  ) {
    this.internals = gateway as unknown as GatewayInternals;
    this.capacity = options.capacity ?? 4;
    const internals = this.internals;
    this.enabled =
      typeof internals.updateWithSupergraphSdl === 'function' &&
      typeof internals.getIdForSupergraphSdl === 'function' &&
      typeof internals.initQueryPlanStore === 'function' &&
      internals.onSchemaChangeListeners instanceof Set &&
      internals.onSchemaLoadOrUpdateListeners instanceof Set;
    this.build = internals.updateWithSupergraphSdl;
    if (!this.enabled) {
      options.logger.warn('this @apollo/gateway release is not the one schema swaps know; every swap rebuilds');
      return;
    }
    internals.updateWithSupergraphSdl = (result) => this.update(result);
  }

  /** Builds the state of a supergraph likely to be served next, if building is cheap. */
  prebuild(supergraphSdl: string): void {
    if (!this.enabled || supergraphSdl.length >= (this.options.prebuildBelowChars ?? 20_000)) return;
    this.pending.push(supergraphSdl);
    if (this.prebuilding) return;
    this.prebuilding = true;
    // One build per turn of the event loop, so requests are served in between.
    const next = () => {
      const sdl = this.pending.shift();
      if (sdl === undefined) {
        this.prebuilding = false;
        return;
      }
      const id = this.internals.getIdForSupergraphSdl(sdl);
      if (!this.states.has(id) && this.states.size < this.capacity) {
        try {
          this.remember(this.buildDetached({ supergraphSdl: sdl, id }, 'ahead'));
        } catch {
          // Not servable: it fails again, with its error logged, if it is ever needed.
        }
      }
      setImmediate(next);
    };
    setImmediate(next);
  }

  private update(result: { supergraphSdl: string; id: string }): void {
    if (result.id === this.internals.compositionId) return;
    this.dropUnbuilt();
    const description = this.options.describe?.(result.supergraphSdl);
    const known = this.states.get(result.id);
    if (known) return this.install(known, description?.members);
    if (description && this.serveBeforeBuilding(result, description)) return;
    this.install(this.buildDetached(result, 'swap'), description?.members);
  }

  private install(state: GatewayState, members: SupergraphDescription['members'] | undefined, notify = true): void {
    this.remember(state);
    this.planning = state;
    this.planningMembers = members;
    Object.assign(this.internals, state);
    if (notify) this.notify(state.schema, state.supergraphSdl);
  }

  /**
   * Serves `result` on the current planner if it has some of the planner's subgraphs,
   * unchanged, and no other; false when it cannot.
   */
  private serveBeforeBuilding(
    result: { supergraphSdl: string; id: string },
    description: SupergraphDescription,
  ): boolean {
    const planning = this.planning;
    const planned = this.planningMembers;
    if (!planning || !planned) return false;
    for (const [name, member] of description.members) if (planned.get(name) !== member) return false;
    const removed = new Set([...planned.keys()].filter((name) => !description.members.has(name)));
    if (removed.size === 0) return false;
    const { apiSchemaSdl, members } = description;
    let schema: GraphQLSchema;
    try {
      // As ApolloGateway builds it (federation's printSchema, parsed without locations);
      // composition validated it.
      schema = buildASTSchema(parse(apiSchemaSdl, { noLocation: true }), { assumeValidSDL: true });
    } catch (error) {
      this.options.logger.warn({ err: error }, 'cannot build the API schema composition printed; building it all');
      return false;
    }
    // ApolloGateway marks its schemas with its version (schema.extensions.apollo.gateway).
    schema.extensions = planning.schema.extensions;
    const timer = setTimeout(() => this.buildUnbuilt(unbuilt), this.options.buildAfterMs ?? 500);
    timer.unref();
    const unbuilt: ServedBeforeBuilt = { result, members, schema, timer };
    this.unbuilt = unbuilt;
    const usable = (plan: unknown) => ![...queryPlanSubgraphs(plan)].some((name) => removed.has(name));
    const { queryPlanner: planner, queryPlanStore: plans } = planning;
    Object.assign(this.internals, {
      compositionId: result.id,
      supergraphSdl: result.supergraphSdl,
      schema,
      queryPlanner: {
        buildQueryPlan: (operation, options) => {
          const plan = planner.buildQueryPlan(operation, options);
          if (usable(plan) || !this.buildUnbuilt(unbuilt)) return plan;
          // Built now: plan the operation on the new supergraph's API schema and planner.
          const rebuilt = operationFromDocument(this.internals.apiSchema!, operationToDocument(operation), {
            validate: false,
          });
          return this.internals.queryPlanner!.buildQueryPlan(rebuilt, options);
        },
      } satisfies QueryPlanner,
      // Plans cached for the previous supergraph stay good unless they need a removed subgraph.
      queryPlanStore: {
        get: async (key) => {
          const plan = await plans.get(key);
          return plan !== undefined && usable(plan) ? plan : undefined;
        },
        set: (key, plan) => plans.set(key, plan),
        clear: () => plans.clear(),
      } satisfies PlanStore,
    });
    this.notify(schema, result.supergraphSdl);
    return true;
  }

  /** Builds and installs the supergraph served before it was built; false when it is no longer served or fails. */
  private buildUnbuilt(unbuilt: ServedBeforeBuilt): boolean {
    if (this.unbuilt !== unbuilt) return false;
    this.dropUnbuilt();
    let state: GatewayState;
    try {
      state = this.buildDetached(unbuilt.result, 'deferred');
    } catch (error) {
      this.options.logger.error({ err: error }, 'cannot build the served supergraph; planning on the previous one');
      return false;
    }
    // Clients already have the schema served since the swap; it stays the same object.
    this.install({ ...state, schema: unbuilt.schema }, unbuilt.members, false);
    return true;
  }

  private dropUnbuilt(): void {
    clearTimeout(this.unbuilt?.timer);
    this.unbuilt = undefined;
  }

  /** Runs the gateway's own update on a copy that shares its config and data sources but not its state. */
  private buildDetached(result: { supergraphSdl: string; id: string }, when: SchemaBuildEvent['when']): GatewayState {
    const started = performance.now();
    const detached = Object.create(this.internals) as GatewayInternals;
    Object.assign(detached, {
      compositionId: undefined,
      // No previous schema: the gateway then logs no "Updated Supergraph SDL" line for a
      // build that may never be served (the served schema's own log line says what is).
      schema: undefined,
      queryPlanStore: this.internals.initQueryPlanStore(),
      onSchemaChangeListeners: new Set(),
      onSchemaLoadOrUpdateListeners: new Set(),
      experimental_didUpdateSupergraph: undefined,
    });
    this.build.call(detached, result);
    const state: Partial<GatewayState> = {};
    for (const field of STATE_FIELDS) {
      if (!Object.hasOwn(detached, field) || detached[field] === undefined) {
        throw new Error(`the gateway did not build a schema for the new supergraph (no ${field})`);
      }
      Object.assign(state, { [field]: detached[field] });
    }
    this.options.onBuild?.({ when, durationMs: performance.now() - started });
    return state as GatewayState;
  }

  private remember(state: GatewayState): void {
    this.states.delete(state.compositionId);
    this.states.set(state.compositionId, state);
    while (this.states.size > this.capacity) this.states.delete(this.states.keys().next().value as string);
  }

  /** Tells the gateway's listeners (Apollo Server, the served schema) as the gateway itself would. */
  private notify(schema: GraphQLSchema, supergraphSdl: string): void {
    for (const listener of this.internals.onSchemaChangeListeners) {
      try {
        listener(schema);
      } catch (error) {
        this.options.logger.error({ err: error }, 'an onSchemaChange listener failed; the schema still changes');
      }
    }
    for (const listener of this.internals.onSchemaLoadOrUpdateListeners) {
      try {
        listener({ apiSchema: schema, coreSupergraphSdl: supergraphSdl });
      } catch (error) {
        this.options.logger.error({ err: error }, 'an onSchemaLoadOrUpdate listener failed; the schema still changes');
      }
    }
  }
}
