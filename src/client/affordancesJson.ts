import type { Affordances } from '../affordances/types.js';

/** A type as it arrives in JSON from the gateway: absent optional fields are `null`. */
export type Json<T> = T extends readonly (infer U)[]
  ? readonly Json<U>[]
  : T extends object
    ? { readonly [K in keyof T]-?: undefined extends T[K] ? Json<Exclude<T[K], undefined>> | null : Json<T[K]> }
    : T;

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
      available { ${SIGNATURE} example }
      unavailable { ${SIGNATURE} reason since }
      subgraphs {
        name
        url
        available
        composed
        reason
        since
        checks { source id ok reason since replicas { available desired } }
      }
    }
  }
`;
