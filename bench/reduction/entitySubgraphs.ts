/**
 * Synthetic subgraphs that share entities the way real federated graphs do, so that a
 * subgraph going down leaves the others not composing on their own: subgraph i owns
 * entity P{i}, and extends its predecessor's P{i-1} with a field that `@requires` the
 * predecessor's `price` (`@external` here), a root field that `@provides` it, and a field
 * it took over with `@override(from:)`.
 */
export const entitySubgraphName = (i: number) => `e${i}`;

export function entitySubgraphSdl(i: number): string {
  const own = `P${i}`;
  const previous = i > 1 ? `P${i - 1}` : undefined;
  return /* GraphQL */ `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@external", "@requires", "@provides", "@override", "@shareable"])

type ${own} @key(fields: "id") {
  id: ID!
  "Shareable: a root field of the next subgraph provides it."
  price: Int @shareable
  weight: Int
  title: String
}
${
  previous
    ? `
type ${previous} @key(fields: "id") {
  id: ID!
  price: Int @external
  shipping${i}: Int @requires(fields: "price")
  weight: Int @override(from: "${entitySubgraphName(i - 1)}")
}
`
    : ''
}
type Query {
  e${i}Top(first: Int = 10): [${own}!]!
  ${previous ? `e${i}Pick(id: ID!): ${previous} @provides(fields: "price")` : `e${i}Count: Int`}
}
`;
}
