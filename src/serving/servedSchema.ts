import type { ApolloGateway } from '@apollo/gateway';
import type { GraphQLSchema } from 'graphql';
import { hashSdl } from '../composition/composeSupergraph.js';

/** The schema the gateway serves right now. */
export interface ServedSchema {
  readonly apiSchema: GraphQLSchema;
  readonly supergraphSdl: string;
  /** Names of the subgraphs in the supergraph, read from its join__Graph enum. */
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

  /** Starts following a gateway; call before the gateway loads. */
  follow(gateway: ApolloGateway): () => void {
    return gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
      this.count++;
      this.current = {
        apiSchema,
        generation: this.count,
        supergraphSdl: coreSupergraphSdl,
        subgraphs: subgraphsOfSupergraph(coreSupergraphSdl),
        version: `${this.count}-${hashSdl(coreSupergraphSdl).slice(0, 8)}`,
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

/** Subgraph names of a supergraph, from `@join__graph(name: "…")` on the join__Graph enum values. */
export function subgraphsOfSupergraph(supergraphSdl: string): Set<string> {
  return new Set([...supergraphSdl.matchAll(/@join__graph\(name: "([^"]+)"/g)].map((match) => match[1]!));
}
