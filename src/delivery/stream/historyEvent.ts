import type { HistoryEntry } from '../../affordances/types.js';
import { eventFrame } from './sseFrames.js';

/** The SSE event type of the change stream's history events. */
export const HISTORY_EVENT = 'history';

/**
 * A batch of new history entries as one `history` event: its data is a JSON array of
 * entries as `affordances { history { entries } }` answers them. It has no id, so a
 * client's `Last-Event-ID` keeps naming the affordances it has.
 */
export function historyFrame(entries: readonly HistoryEntry[]): string {
  return eventFrame(HISTORY_EVENT, undefined, JSON.stringify(entries));
}
