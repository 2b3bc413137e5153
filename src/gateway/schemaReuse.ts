import type { ApolloGateway } from '@apollo/gateway';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from '../runtime/logger.js';

/** What ApolloGateway builds for one supergraph: its schemas, query planner and plan cache. */
interface GatewayState {
  compositionId: string;
  supergraphSdl: string;
  supergraphSchema: GraphQLSchema;
  apiSchema: object;
  schema: GraphQLSchema;
  queryPlanner: object;
  queryPlanStore: object;
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

type SchemaLoad = { apiSchema: GraphQLSchema; coreSupergraphSdl: string };

/** The private parts of ApolloGateway 2.x this relies on; checked at start, off when absent. */
interface GatewayInternals extends Partial<GatewayState> {
  updateWithSupergraphSdl(result: { supergraphSdl: string; id: string }): void;
  getIdForSupergraphSdl(supergraphSdl: string): string;
  initQueryPlanStore(approximateQueryPlanStoreMiB?: number): object;
  onSchemaChangeListeners: Set<(schema: GraphQLSchema) => void>;
  onSchemaLoadOrUpdateListeners: Set<(load: SchemaLoad) => void>;
}

export interface SchemaReuseOptions {
  logger: Logger;
  /** Supergraphs whose gateway state is kept. Default 4. */
  capacity?: number;
  /**
   * Supergraphs composed ahead of need are also built ahead of need when their SDL is
   * shorter than this: building then blocks the event loop about as long as a minor GC
   * (a few ms per 10 kB once warm), while a large one would stall requests. Default 20000.
   */
  prebuildBelowChars?: number;
}

/**
 * Lets ApolloGateway swap back to a supergraph it served before without rebuilding it:
 * on every swap it otherwise rebuilds the supergraph schema, the API schema and the
 * query planner (tens of ms for two subgraphs, most of a second for a hundred) and drops
 * every cached query plan. Here each supergraph's state (schemas, planner, its own plan
 * cache) is built once, by the gateway's own code on a detached copy of it, kept for the
 * last `capacity` supergraphs, and installed when that supergraph is served again. A
 * subgraph that flaps, or comes back, costs a pointer swap and keeps its plans.
 *
 * It reads and writes private fields of ApolloGateway 2.x; when they are not there (a
 * release that changed them) it stays off and the gateway works as it always does.
 */
export class SchemaReuse {
  private readonly states = new Map<string, GatewayState>();
  private readonly internals: GatewayInternals;
  private readonly build: (result: { supergraphSdl: string; id: string }) => void;
  private readonly capacity: number;
  private pending: string[] = [];
  private prebuilding = false;
  readonly enabled: boolean;

  constructor(
    gateway: ApolloGateway,
    private readonly options: SchemaReuseOptions,
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
      options.logger.warn('this @apollo/gateway release is not the one schema reuse knows; every swap rebuilds');
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
          this.remember(this.buildDetached({ supergraphSdl: sdl, id }));
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
    const state = this.states.get(result.id) ?? this.buildDetached(result);
    this.remember(state);
    Object.assign(this.internals, state);
    this.notify(state);
  }

  /** Runs the gateway's own update on a copy that shares its config and data sources but not its state. */
  private buildDetached(result: { supergraphSdl: string; id: string }): GatewayState {
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
    return state as GatewayState;
  }

  private remember(state: GatewayState): void {
    this.states.delete(state.compositionId);
    this.states.set(state.compositionId, state);
    while (this.states.size > this.capacity) this.states.delete(this.states.keys().next().value as string);
  }

  /** Tells the gateway's listeners (Apollo Server, the served schema) as the gateway itself would. */
  private notify(state: GatewayState): void {
    for (const listener of this.internals.onSchemaChangeListeners) {
      try {
        listener(state.schema);
      } catch (error) {
        this.options.logger.error({ err: error }, 'an onSchemaChange listener failed; the schema still changes');
      }
    }
    for (const listener of this.internals.onSchemaLoadOrUpdateListeners) {
      try {
        listener({ apiSchema: state.schema, coreSupergraphSdl: state.supergraphSdl });
      } catch (error) {
        this.options.logger.error({ err: error }, 'an onSchemaLoadOrUpdate listener failed; the schema still changes');
      }
    }
  }
}
