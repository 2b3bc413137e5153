import { getNamedType, isInterfaceType, isObjectType, type GraphQLField, type GraphQLSchema } from 'graphql';
import {
  denialFor,
  describeRequirement,
  type AccessRequirement,
  type AccessRequirements,
  type Denial,
} from '../serving/access/accessRequirements.js';
import type { Caller } from '../serving/access/caller.js';
import { exampleDocument } from './exampleDocument.js';
import type { Affordances, AvailableOperation, CallerSummary, UnavailableOperation } from './types.js';

/**
 * The affordances as one caller sees them: an available operation it may not call
 * (`@authenticated`, `@requiresScopes` on the field, its root type or the type it returns)
 * is listed as unavailable, with `reasonKind` UNAUTHENTICATED or FORBIDDEN and the
 * requirement as `reason` ("requires scope invoices:write"); the example document of one
 * it may call selects only fields it may select. Depends on the caller only through the
 * scopes it holds of those the schema requires (see viewKey). Pure.
 */
export function callerView(
  affordances: Affordances,
  apiSchema: GraphQLSchema,
  requirements: AccessRequirements,
  caller: Caller,
): Affordances {
  const { byCoordinate } = requirements;
  const denied = (coordinates: readonly string[]): { requirement: AccessRequirement; denial: Denial } | undefined => {
    for (const coordinate of coordinates) {
      const requirement = byCoordinate.get(coordinate);
      const denial = requirement && denialFor(requirement, caller);
      if (requirement && denial) return { requirement, denial };
    }
    return undefined;
  };
  const selectable = (type: string, field: string, fieldType: string) => !denied([`${type}.${field}`, fieldType]);
  const available: AvailableOperation[] = [];
  const refused: UnavailableOperation[] = [];
  for (const op of affordances.available) {
    const root = op.kind === 'QUERY' ? apiSchema.getQueryType() : apiSchema.getMutationType();
    const field = root?.getFields()[op.name];
    if (!root || !field) {
      available.push(op);
      continue;
    }
    const returned = getNamedType(field.type);
    const refusal = denied([`${root.name}.${op.name}`, root.name, returned.name]);
    if (refusal) {
      const { example: _example, removedFields: _removed, ...signature } = op;
      refused.push({
        ...signature,
        reason: describeRequirement(refusal.requirement),
        reasonKind: refusal.denial.kind === 'unauthenticated' ? 'UNAUTHENTICATED' : 'FORBIDDEN',
        since: affordances.schemaLoadedAt,
      });
      continue;
    }
    const restricted =
      (isObjectType(returned) || isInterfaceType(returned)) &&
      Object.values(returned.getFields()).some((f) => !selectable(returned.name, f.name, getNamedType(f.type).name));
    available.push(
      restricted
        ? { ...op, example: exampleDocument(op.kind, field as GraphQLField<unknown, unknown>, selectable) }
        : op,
    );
  }
  return {
    ...affordances,
    available,
    unavailable: [...refused, ...affordances.unavailable],
    caller: summary(requirements, caller),
  };
}

/**
 * Callers with one key see the same affordances: anonymous, or a token holding the same
 * scopes among those the schema requires (other scopes and claims make no difference).
 */
export function viewKey(requirements: AccessRequirements, caller: Caller): string {
  if (!caller.authenticated) return 'anonymous';
  return `token ${[...requirements.scopes]
    .filter((scope) => caller.scopes.has(scope))
    .sort()
    .join(' ')}`;
}

function summary(requirements: AccessRequirements, caller: Caller): CallerSummary {
  if (!caller.authenticated) return { authenticated: false, scopes: [] };
  return { authenticated: true, scopes: [...requirements.scopes].filter((s) => caller.scopes.has(s)).sort() };
}
