/**
 * The one rule for subgraph names, wherever a name comes from (the config file, a
 * Service annotation): lower-case letters, digits and dashes, starting with a letter, at
 * most 63 characters (a DNS label), and not the name the gateway's own subgraph has.
 */
export const SUBGRAPH_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/** Name of the gateway's own in-process subgraph, which serves `affordances`; reserved. */
export const AFFORDANCES_SUBGRAPH = 'affordances';

/** Why a name is not a usable subgraph name; undefined when it is. */
export function subgraphNameProblem(name: string): string | undefined {
  if (!SUBGRAPH_NAME.test(name)) return 'must be lower case letters, digits and dashes, starting with a letter';
  if (name === AFFORDANCES_SUBGRAPH)
    return `the name "${AFFORDANCES_SUBGRAPH}" is reserved for the gateway's own subgraph`;
  return undefined;
}
