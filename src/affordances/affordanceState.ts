import type { DocumentNode } from 'graphql';
import { buildFieldCatalog, type FieldCatalog } from '../composition/fieldCatalog.js';
import type { CompositionStatus, SupergraphManager } from '../composition/supergraphManager.js';
import type { ServedSchemaStore } from '../schema/servedSchema.js';
import { computeAffordances } from './computeAffordances.js';
import type { Affordances } from './types.js';

export interface AffordanceSnapshot {
  readonly affordances: Affordances;
  readonly catalog: FieldCatalog;
}

/**
 * Keeps the current affordances, recomputed once per change of the served schema or of
 * the composition status, so queries and error messages read a ready value.
 */
export class AffordanceState {
  private current?: AffordanceSnapshot;
  private readonly listeners = new Set<(snapshot: AffordanceSnapshot) => void>();
  private readonly unsubscribe: (() => void)[];

  constructor(
    private readonly served: ServedSchemaStore,
    private readonly manager: SupergraphManager,
    private readonly localTypeDefs: ReadonlyMap<string, DocumentNode>,
  ) {
    this.unsubscribe = [served.subscribe(() => this.recompute()), manager.subscribe(() => this.recompute())];
  }

  /** The current snapshot; undefined until the first schema is served. */
  get(): AffordanceSnapshot | undefined {
    return this.current;
  }

  subscribe(listener: (snapshot: AffordanceSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stop(): void {
    this.unsubscribe.forEach((fn) => fn());
  }

  private recompute(): void {
    const served = this.served.get();
    if (!served) return;
    const composition: CompositionStatus = this.manager.status();
    const typeDefs = new Map(this.localTypeDefs);
    for (const status of composition.subgraphs.values())
      if (status.typeDefs) typeDefs.set(status.name, status.typeDefs);
    const catalog = buildFieldCatalog(typeDefs);
    const affordances = computeAffordances({ served, composition, catalog });
    if (this.current && JSON.stringify(this.current.affordances) === JSON.stringify(affordances)) return;
    this.current = { affordances, catalog };
    for (const listener of this.listeners) listener(this.current);
  }
}
