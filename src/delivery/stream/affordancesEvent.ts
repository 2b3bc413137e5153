import { createHash } from 'node:crypto';
import type { Affordances } from '../../affordances/types.js';
import { eventFrame } from './sseFrames.js';

/** The SSE event type of every change-stream event. */
export const AFFORDANCES_EVENT = 'affordances';

export interface AffordancesEvent {
  /**
   * Content address of the affordances: equal ids mean equal state, so a client that
   * reconnects with `Last-Event-ID` equal to the current id already has it, and any other
   * id (a missed change, another replica, a restart) means it needs the current state.
   */
  readonly id: string;
  /** The whole frame, ready to write. */
  readonly frame: string;
}

/**
 * Encodes affordances the way the `affordances` query answers them: absent optional
 * fields become `null`, so a client can use the stream and the query interchangeably.
 */
export function affordancesEvent(affordances: Affordances): AffordancesEvent {
  const json = JSON.stringify(affordances, (_key, value: unknown) => (value === undefined ? null : value));
  const id = createHash('sha256').update(json).digest('base64url').slice(0, 22);
  return { id, frame: eventFrame(AFFORDANCES_EVENT, id, json) };
}
