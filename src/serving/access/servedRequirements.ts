import type { GraphQLSchema } from 'graphql';
import type { ServingGateway } from '../servingGateway.js';
import { readAccessRequirements, type AccessRequirements } from './accessRequirements.js';

const NONE: AccessRequirements = { byCoordinate: new Map(), scopes: new Set() };

/**
 * The access requirements of every serving state, by the API schema requests are
 * validated against: read from the state's supergraph once, when it is first served.
 */
export class ServedRequirements {
  private readonly byApiSchema = new WeakMap<GraphQLSchema, AccessRequirements>();

  /** Reads the requirements of every state the gateway serves from now on (and the current one). */
  follow(gateway: Pick<ServingGateway, 'onState'>): () => void {
    return gateway.onState((state) => {
      if (!this.byApiSchema.has(state.schema)) {
        this.byApiSchema.set(state.schema, readAccessRequirements(state.supergraphSchema));
      }
    });
  }

  /** The requirements of the state whose API schema this is; none for a schema never served. */
  of(apiSchema: GraphQLSchema): AccessRequirements {
    return this.byApiSchema.get(apiSchema) ?? NONE;
  }
}
