import type { Affordances, History } from '../../../affordances/types.js';
import type { Json } from '../../../platform/json.js';

/** The change stream's event data, as the browser parses it. */
export type AffordancesJson = Json<Affordances>;
export type SubgraphJson = AffordancesJson['subgraphs'][number];
export type CheckJson = SubgraphJson['checks'][number];
export type OperationJson = AffordancesJson['available'][number] | AffordancesJson['unavailable'][number];
export type ArgumentJson = OperationJson['arguments'][number];
/** The answer of `affordances { history }`, and (its entries) the stream's `history` events. */
export type HistoryJson = Json<History>;
export type HistoryEntryJson = HistoryJson['entries'][number];
