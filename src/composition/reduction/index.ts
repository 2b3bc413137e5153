/** Composing the most that can be served while subgraphs are down: see README.md. */
export { reduceSubgraphs } from './reduceSubgraphs.js';
export { reducedDefinitions } from './reducedDefinitions.js';
export { describeRemoval, type DownClause } from './describeRemoval.js';
export type * from './types.js';
