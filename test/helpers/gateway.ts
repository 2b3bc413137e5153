import { isObjectType } from 'graphql';
import type { AffordanceSnapshot } from '../../src/affordances/affordanceState.js';
import type { Affordances } from '../../src/affordances/types.js';
import type { RunningGateway } from '../../src/gateway/startGateway.js';

/**
 * Resolves with the first affordances (current or future) that satisfy `predicate`:
 * waits on the gateway's own change notifications, never on a timer.
 */
export function affordancesWhere(
  gateway: RunningGateway,
  predicate: (affordances: Affordances) => boolean,
): Promise<Affordances> {
  return new Promise((resolve) => {
    const check = (snapshot: AffordanceSnapshot | undefined) => {
      if (!snapshot || !predicate(snapshot.affordances)) return false;
      unsubscribe();
      resolve(snapshot.affordances);
      return true;
    };
    const unsubscribe = gateway.affordances.subscribe(check);
    check(gateway.affordances.get());
  });
}

/** True when the named subgraph is (or is not) composed into the served schema. */
export const composed =
  (name: string, expected = true) =>
  (a: Affordances) =>
    a.subgraphs.find((s) => s.name === name)?.composed === expected;

/** True when the named subgraph is up by every source and composed: its operations can be called. */
export const available = (name: string) => (a: Affordances) =>
  a.subgraphs.find((s) => s.name === name)?.available === true;

export const availableNames = (a: Affordances) => a.available.map((op) => op.name).sort();
export const unavailableNames = (a: Affordances) => a.unavailable.map((op) => op.name).sort();

/** The gateway serves what composition wants now (affordances follow composition at once, the swap a build later). */
export const servesWanted = (gateway: RunningGateway) =>
  gateway.served.get()?.supergraphSdl === gateway.manager.wanted();

/** True when the served API schema's object type `type` (which must be served) has `field`. */
export function servesField(gateway: RunningGateway, type: string, field: string): boolean {
  const served = gateway.served.get()?.apiSchema.getType(type);
  if (!isObjectType(served)) throw new Error(`the served schema has no object type ${type}`);
  return field in served.getFields();
}
