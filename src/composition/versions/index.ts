/** What the versions of a subgraph serving at once have in common: see README.md. */
export { commonSchema } from './commonSchema.js';
export type * from './types.js';
