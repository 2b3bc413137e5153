import type { Affordances } from '../affordances/types.js';
import type { Json } from '../platform/json.js';

/** The `affordances` query's answer and the change stream's event data. */
export type AffordancesJson = Json<Affordances>;
export type AvailableOperationJson = AffordancesJson['available'][number];
export type UnavailableOperationJson = AffordancesJson['unavailable'][number];
export type OperationArgumentJson = AvailableOperationJson['arguments'][number];
export type SubgraphStatusJson = AffordancesJson['subgraphs'][number];

/** The fields every operation has, available or not. */
const SIGNATURE = 'name kind subgraph arguments { name type defaultValue description } returnType description';

/** Every field of `Affordances`, so the query answers exactly what the change stream sends. */
export const AFFORDANCES_QUERY = /* GraphQL */ `
  query Affordances {
    affordances {
      schemaVersion
      schemaLoadedAt
      available { ${SIGNATURE} example removedFields }
      unavailable { ${SIGNATURE} reason reasonKind since }
      subgraphs {
        name
        url
        available
        composed
        reason
        since
        checks { source id ok reason since replicas { available desired } backend }
        versions { hash endpoints }
        rejectedVersion { hash errors }
      }
      removed { coordinate kind subgraph needs { subgraph coordinate } reason }
      composition { state errors }
      caller { authenticated scopes }
    }
  }
`;
