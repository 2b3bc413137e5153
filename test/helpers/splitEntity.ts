import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { federationLink as link, serveSchemas } from './subgraphServers.js';

/**
 * The most common shape of a federated graph: an entity split across subgraphs, with a
 * field in `b` that needs a field only `a` resolves (`Product.shipping` requires
 * `Product.price`). Without `a`, `b` and `c` do not compose as they are.
 */
export const splitEntitySchemas = {
  a: buildSubgraphSchema({
    typeDefs: parse(`${link(['@key'])}
      type Product @key(fields: "id") { id: ID! price: Int }
      type Query { aTop: [Product] }`),
    resolvers: {
      Query: { aTop: () => [{ id: '1', price: 10 }] },
      Product: { __resolveReference: ({ id }: { id: string }) => ({ id, price: Number(id) * 10 }) },
    },
  }),
  b: buildSubgraphSchema({
    typeDefs: parse(`${link(['@key', '@external', '@requires'])}
      type Product @key(fields: "id") { id: ID! price: Int @external shipping: Int @requires(fields: "price") }
      type Query { bTop: Int }`),
    resolvers: {
      Query: { bTop: () => 2 },
      Product: {
        __resolveReference: (ref: { id: string; price?: number }) => ({ ...ref, shipping: (ref.price ?? 0) + 1 }),
      },
    },
  }),
  c: buildSubgraphSchema({
    typeDefs: parse(`${link([])}
      type Query { cTop: Int }`),
    resolvers: { Query: { cTop: () => 3 } },
  }),
};

/** Serves the three on loopback; their config entries, and a stop for all. */
export const serveSplitEntity = () => serveSchemas(splitEntitySchemas);
