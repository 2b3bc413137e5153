import type { Need, Removal, RemovalCause } from './types.js';

/**
 * Words how a needed subgraph is down, e.g. `(name) => "which is down (readiness probe
 * failing)"`; the availability model knows why, the reduction does not.
 */
export type DownClause = (subgraph: string) => string;

const whichIsDown: DownClause = () => 'which is down';

/**
 * The reason for a removal in words, e.g. `Product.shipping requires Product.price from
 * subgraph a, which is down`. `reason` on a Removal is this with the default clause; pass
 * `downClause` to say why the subgraph is down.
 */
export function describeRemoval(
  removal: Pick<Removal, 'subgraph' | 'coordinate' | 'cause'>,
  downClause: DownClause = whichIsDown,
): string {
  const { subgraph, coordinate, cause } = removal;
  return describeCause(subgraph, coordinate, cause, downClause);
}

function describeCause(subgraph: string, coordinate: string, cause: RemovalCause, downClause: DownClause): string {
  switch (cause.rule) {
    case 'externalWithoutOwner':
      return `${coordinate} is @external in subgraph ${subgraph} and resolved only by ${from(cause.needs, downClause)}`;
    case 'requires':
      return `${coordinate} requires ${cause.needs.coordinate} from ${from(cause.needs, downClause)}`;
    case 'provides':
      return `${coordinate} provides ${cause.needs.coordinate}, which comes from ${from(cause.needs, downClause)}`;
    case 'key':
      return `${coordinate} uses ${cause.needs.coordinate} from ${from(cause.needs, downClause)}`;
    case 'typeGone':
      return `${coordinate} needs ${cause.needs.coordinate} from ${from(cause.needs, downClause)}`;
    case 'interfaceObject':
      return `${coordinate} is an @interfaceObject of interface ${cause.needs.coordinate}, declared only by ${from(cause.needs, downClause)}`;
    case 'emptied':
      return `${coordinate} has nothing left in subgraph ${subgraph}`;
    case 'composition':
      return `composition rejects ${coordinate} in subgraph ${subgraph} (${cause.error.code}): ${cause.error.message}`;
    case 'versions':
      return `${cause.serving}; ${cause.detail}`;
    default:
      throw new UnreachableCaseError(cause);
  }
}

function from(need: Need, downClause: DownClause): string {
  switch (need.state) {
    case 'down':
      return `subgraph ${need.subgraph}, ${downClause(need.subgraph)}`;
    case 'dropped':
      return `subgraph ${need.subgraph}, which was left out (it does not compose)`;
    case 'removed':
      return `subgraph ${need.subgraph}, where it was removed`;
    default:
      throw new UnreachableCaseError(need.state);
  }
}

class UnreachableCaseError extends Error {
  constructor(value: never) {
    super(`Unreachable case: ${JSON.stringify(value)}`);
  }
}
