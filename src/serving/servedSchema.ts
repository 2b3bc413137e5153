import type { GraphQLSchema } from 'graphql';
import { hashSdl } from '../composition/composeSupergraph.js';
import type { ServingGateway } from './servingGateway.js';

/** The schema the gateway serves right now. */
export interface ServedSchema {
  readonly apiSchema: GraphQLSchema;
  readonly supergraphSdl: string;
  /** Names of the subgraphs in the supergraph. */
  readonly subgraphs: ReadonlySet<string>;
  /** 1 for the first schema, +1 per swap. */
  readonly generation: number;
  /** "<generation>-<hash>": changes with every swap, comparable between gateway replicas by hash. */
  readonly version: string;
  readonly loadedAt: Date;
}

/** Follows the gateway's schema swaps; the last link of sources → availability → composition → served schema. */
export class ServedSchemaStore {
  private current?: ServedSchema;
  private count = 0;
  private readonly listeners = new Set<(served: ServedSchema) => void>();

  /** Starts following a gateway's swaps; call before the gateway loads. */
  follow(gateway: ServingGateway): () => void {
    return gateway.onState((state) => {
      this.count++;
      this.current = {
        apiSchema: state.schema,
        generation: this.count,
        supergraphSdl: state.supergraphSdl,
        subgraphs: state.subgraphs,
        version: `${this.count}-${hashSdl(state.supergraphSdl).slice(0, 8)}`,
        loadedAt: new Date(),
      };
      for (const listener of this.listeners) listener(this.current);
    });
  }

  get(): ServedSchema | undefined {
    return this.current;
  }

  subscribe(listener: (served: ServedSchema) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
