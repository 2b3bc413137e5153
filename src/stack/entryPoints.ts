import { fileURLToPath } from 'node:url';

/** `.ts` when running from the sources (tsx, jest), `.js` when compiled into dist/. */
const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

/** A script of this tree by its path from the repository root (or dist/), without extension. */
const script = (path: string) => fileURLToPath(new URL(`../../${path}${extension}`, import.meta.url));

/** The entry points the local stack starts as child processes. */
export const ENTRY_POINTS = {
  /** The gateway's CLI (`affordance-gateway gateway`). */
  gateway: script('src/cli/main'),
  /** The demo subgraphs' own entry point (`customers`, `invoices`, `invoices-service`). */
  subgraphs: script('subgraphs/main'),
} as const;
