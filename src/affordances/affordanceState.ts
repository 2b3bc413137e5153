import type { DocumentNode, GraphQLSchema } from 'graphql';
import { buildFieldCatalog, type FieldCatalog } from '../composition/fieldCatalog.js';
import type { CompositionStatus, SupergraphManager } from '../composition/supergraphManager.js';
import type { ServedSchemaStore } from '../serving/servedSchema.js';
import type { ServingGateway, ServingStatus } from '../serving/servingGateway.js';
import { computeAffordances, computeSubgraphStatuses } from './computeAffordances.js';
import type { Affordances, SubgraphStatus } from './types.js';

export interface AffordanceSnapshot {
  readonly affordances: Affordances;
  readonly catalog: FieldCatalog;
  /** The API schema they were computed from (per-caller views read its types). */
  readonly apiSchema: GraphQLSchema;
}

/**
 * Keeps the current affordances. A change of the served schema or of the composition
 * status only marks them out of date; they are recomputed when read, or on the next turn
 * of the event loop for listeners (the change stream). With many subgraphs computing them
 * takes tens of ms, which a schema swap should not wait for, and the several changes one
 * transition makes (availability, SDL read, swap) cost one computation. Listeners of the
 * subgraphs' statuses alone (the history) get them on that turn without the operations
 * being listed, unless someone listens to the whole.
 */
export class AffordanceState {
  private current?: AffordanceSnapshot;
  private stale = false;
  private scheduled = false;
  private stopped = false;
  /** The catalog of the last subgraph SDLs, rebuilt only when one of them changes. */
  private catalog?: { typeDefs: ReadonlyMap<string, DocumentNode>; catalog: FieldCatalog };
  private readonly listeners = new Set<(snapshot: AffordanceSnapshot) => void>();
  private readonly subgraphListeners = new Set<(subgraphs: readonly SubgraphStatus[]) => void>();
  /** The statuses last told to `subgraphListeners`, and their JSON (to tell a change). */
  private told?: { readonly json: string; readonly subgraphs: readonly SubgraphStatus[] };
  private readonly unsubscribe: (() => void)[];
  private serving?: Pick<ServingGateway, 'status'>;

  constructor(
    private readonly served: ServedSchemaStore,
    private readonly manager: SupergraphManager,
    private readonly localTypeDefs: ReadonlyMap<string, DocumentNode>,
  ) {
    this.unsubscribe = [served.subscribe(() => this.invalidate()), manager.subscribe(() => this.invalidate())];
  }

  /** Follows the serving core's status too (a build failing and being retried shows in reasons). */
  follow(serving: Pick<ServingGateway, 'status' | 'onStatus'>): void {
    this.serving = serving;
    this.unsubscribe.push(serving.onStatus(() => this.invalidate()));
    this.invalidate();
  }

  /** The current snapshot; undefined until the first schema is served. */
  get(): AffordanceSnapshot | undefined {
    if (this.stale) this.recompute();
    return this.current;
  }

  subscribe(listener: (snapshot: AffordanceSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The subgraphs' statuses now (as in `get()`); undefined until the first schema is served. */
  subgraphs(): readonly SubgraphStatus[] | undefined {
    if (this.stale) this.refreshSubgraphs();
    return this.told?.subgraphs;
  }

  /** Calls `listener` with the subgraphs' statuses whenever they change. */
  subscribeSubgraphs(listener: (subgraphs: readonly SubgraphStatus[]) => void): () => void {
    this.subgraphListeners.add(listener);
    return () => this.subgraphListeners.delete(listener);
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe.forEach((fn) => fn());
  }

  private invalidate(): void {
    this.stale = true;
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.stopped) return;
      if (this.listeners.size > 0) this.get();
      else if (this.subgraphListeners.size > 0) this.refreshSubgraphs();
    });
  }

  private refreshSubgraphs(): void {
    const served = this.served.get();
    if (!served) return;
    this.tell(
      computeSubgraphStatuses({
        served,
        composition: this.manager.status(),
        serving: this.serving?.status(),
      }),
    );
  }

  private tell(subgraphs: readonly SubgraphStatus[]): void {
    const json = JSON.stringify(subgraphs);
    if (this.told?.json === json) return;
    this.told = { json, subgraphs };
    for (const listener of this.subgraphListeners) listener(subgraphs);
  }

  private recompute(): void {
    const served = this.served.get();
    if (!served) return;
    this.stale = false;
    const composition: CompositionStatus = this.manager.status();
    const serving: ServingStatus | undefined = this.serving?.status();
    const affordances = computeAffordances({
      served,
      composition,
      serving,
      catalog: this.catalogOf(composition),
    });
    this.tell(affordances.subgraphs);
    if (this.current && JSON.stringify(this.current.affordances) === JSON.stringify(affordances)) return;
    this.current = { affordances, catalog: this.catalog!.catalog, apiSchema: served.apiSchema };
    for (const listener of this.listeners) listener(this.current);
  }

  private catalogOf(composition: CompositionStatus): FieldCatalog {
    const typeDefs = new Map(this.localTypeDefs);
    for (const status of composition.subgraphs.values())
      if (status.typeDefs) typeDefs.set(status.name, status.typeDefs);
    const previous = this.catalog;
    const same =
      previous?.typeDefs.size === typeDefs.size &&
      [...typeDefs].every(([name, document]) => previous.typeDefs.get(name) === document);
    if (!same) this.catalog = { typeDefs, catalog: buildFieldCatalog(typeDefs) };
    return this.catalog!.catalog;
  }
}
