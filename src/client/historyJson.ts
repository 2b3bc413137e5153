import type { History } from '../affordances/types.js';
import type { Json } from '../platform/json.js';

/** The answer of `affordances { history }`. */
export type HistoryJson = Json<History>;

/** Every field of `History`. */
export const HISTORY_QUERY = /* GraphQL */ `
  query History($since: String, $subgraph: String) {
    affordances {
      history(since: $since, subgraph: $subgraph) {
        since
        retainedSince
        entries {
          at
          subgraph
          changes
          available
          composed
          versions
          reason
        }
        subgraphs {
          subgraph
          available
          availableAtSince
          windows {
            window
            unavailableMs
            drops
          }
        }
      }
    }
  }
`;
