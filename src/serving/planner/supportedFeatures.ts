import { DEFAULT_SUPPORTED_SUPERGRAPH_FEATURES } from '@apollo/federation-internals';

/**
 * The `@link` features a supergraph may use: those Apollo Gateway supports, plus the
 * `for: SECURITY` ones this gateway enforces (src/delivery/auth). Without them a
 * supergraph using @authenticated or @requiresScopes would be refused as "unsupported".
 */
export const SUPPORTED_FEATURES: ReadonlySet<string> = new Set([
  ...DEFAULT_SUPPORTED_SUPERGRAPH_FEATURES,
  'https://specs.apollo.dev/authenticated/v0.1',
  'https://specs.apollo.dev/requiresScopes/v0.1',
]);
