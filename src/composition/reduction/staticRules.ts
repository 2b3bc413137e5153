import { fieldSetCoordinates } from './fieldSetCoordinates.js';
import { element, elementKey } from './schemaElement.js';
import type { SubgraphModel, TypeModel } from './subgraphModel.js';
import type { Need, Removal, RemovalCause, SchemaElement } from './types.js';

/** A kept subgraph as the rules see it: as it came, as it is now, and what it lost. */
export interface KeptSubgraph {
  readonly original: SubgraphModel;
  readonly current: SubgraphModel;
  readonly removed: ReadonlyMap<string, Removal>;
}

/** Everything the rules look at: the kept subgraphs and the ones gone (down or dropped). */
export interface RuleContext {
  /** In name order. */
  readonly kept: readonly KeptSubgraph[];
  /** Last-known schemas of the unavailable subgraphs, in name order. */
  readonly down: readonly SubgraphModel[];
  /** The available subgraphs dropped whole, as they came, in name order. */
  readonly dropped: readonly SubgraphModel[];
}

/** A removal the rules decided, before it is worded. */
export interface Decision {
  readonly subgraph: string;
  readonly element: SchemaElement;
  readonly cause: RemovalCause;
}

/**
 * One pass of the static rules over the kept subgraphs: every element that needs
 * something no longer served. The caller applies them and runs another pass until one
 * finds nothing (each pass only removes, so that ends). The rules:
 * - an @external field that no kept subgraph resolves, while an unavailable, dropped or
 *   reduced one did, goes (`externalWithoutOwner`);
 * - a field whose @requires mentions a field that is gone goes; a @provides that does
 *   loses only the directive (the field is still served, just not as a shortcut); a @key
 *   that does goes;
 * - a field returning a type that is gone goes, as does an argument of such a type (the
 *   field too when the argument is required), an input field (its input type when
 *   required), a union member or an `implements`;
 * - an @interfaceObject whose interface no kept subgraph declares goes;
 * - a type emptied (no fields, members or values left) goes.
 * @override(from:) a subgraph that is down stays: the overriding subgraph serves the
 * field either way, and composition accepts an override from a subgraph it does not know.
 */
export function staticDecisions(context: RuleContext): Decision[] {
  const decisions: Decision[] = [];
  for (const subgraph of context.kept) {
    for (const type of subgraph.current.types.values()) decideType(context, subgraph, type, decisions);
  }
  return decisions;
}

function decideType(context: RuleContext, subgraph: KeptSubgraph, type: TypeModel, into: Decision[]): void {
  const name = subgraph.original.name;
  const decide = (e: SchemaElement, cause: RemovalCause) => into.push({ subgraph: name, element: e, cause });
  const typeGone = (t: string) => !subgraph.current.types.has(t) && subgraph.original.types.has(t);
  const goneNeed = (t: string): Need => needOfGone(subgraph, t);
  const original = subgraph.original.types.get(type.name);

  if (emptied(type, original)) {
    decide(element.type(type.name), { rule: 'emptied' });
    return;
  }
  if (type.interfaceObject) {
    const needs = interfaceNeed(context, subgraph, type.name);
    if (needs) {
      decide(element.type(type.name), { rule: 'interfaceObject', needs });
      return;
    }
  }
  for (const key of type.keys) {
    const missing = fieldSetCoordinates(subgraph.current, type.name, key).find((c) => coordinateGone(subgraph, c));
    if (missing) decide(element.key(type.name, key), { rule: 'key', needs: goneNeed(missing) });
  }
  for (const iface of type.interfaces) {
    if (typeGone(iface)) decide(element.implements(type.name, iface), { rule: 'typeGone', needs: goneNeed(iface) });
  }
  for (const member of type.members) {
    if (typeGone(member)) decide(element.unionMember(type.name, member), { rule: 'typeGone', needs: goneNeed(member) });
  }
  for (const input of type.inputFields) {
    if (!typeGone(input.type)) continue;
    const cause: RemovalCause = { rule: 'typeGone', needs: goneNeed(input.type) };
    decide(input.nonNull ? element.type(type.name) : element.inputField(type.name, input.name), cause);
  }
  for (const field of type.fields) {
    const fieldElement = element.field(type.name, field.name);
    if (field.external) {
      const needs = ownerNeed(context, subgraph, type.name, field.name);
      if (needs) {
        decide(fieldElement, { rule: 'externalWithoutOwner', needs });
        continue;
      }
    }
    if (typeGone(field.type)) {
      decide(fieldElement, { rule: 'typeGone', needs: goneNeed(field.type) });
      continue;
    }
    if (field.requires !== undefined) {
      const missing = fieldSetCoordinates(subgraph.current, type.name, field.requires).find((c) =>
        coordinateGone(subgraph, c),
      );
      if (missing) {
        decide(fieldElement, { rule: 'requires', needs: goneNeed(missing) });
        continue;
      }
    }
    for (const arg of field.args) {
      if (!typeGone(arg.type)) continue;
      const cause: RemovalCause = { rule: 'typeGone', needs: goneNeed(arg.type) };
      decide(arg.nonNull ? fieldElement : element.argument(type.name, field.name, arg.name), cause);
    }
    if (field.provides !== undefined) {
      const missing = fieldSetCoordinates(subgraph.current, field.type, field.provides).find((c) =>
        coordinateGone(subgraph, c),
      );
      if (missing)
        decide(element.directive(type.name, field.name, 'provides'), { rule: 'provides', needs: goneNeed(missing) });
    }
  }
}

function emptied(type: TypeModel, original: TypeModel | undefined): boolean {
  if (!original) return false;
  const size = (t: TypeModel) => t.fields.length + t.inputFields.length + t.members.length + t.values.length;
  return size(type) === 0 && size(original) > 0;
}

/** A type (`T`) or field (`T.f`) the subgraph had and no longer has. */
function coordinateGone(subgraph: KeptSubgraph, coordinate: string): boolean {
  const [type, field] = coordinate.split('.') as [string, string | undefined];
  const has = (model: SubgraphModel) => {
    const t = model.types.get(type);
    return t !== undefined && (field === undefined || t.fields.some((f) => f.name === field));
  };
  return has(subgraph.original) && !has(subgraph.current);
}

/**
 * What a gone element of this subgraph stood for: the owner of an @external field that
 * went for want of one (the root cause, so a reason can name the subgraph that is down),
 * else the element itself, removed here.
 */
function needOfGone(subgraph: KeptSubgraph, coordinate: string): Need {
  const removal =
    subgraph.removed.get(elementKey(element.type(coordinate))) ??
    subgraph.removed.get(elementKey({ kind: 'field', coordinate })) ??
    subgraph.removed.get(elementKey(element.type(coordinate.split('.')[0] ?? coordinate)));
  if (removal?.cause.rule === 'externalWithoutOwner' && removal.coordinate === coordinate) return removal.cause.needs;
  return { subgraph: subgraph.original.name, coordinate, state: 'removed' };
}

/**
 * Who resolved an @external field, when no kept subgraph does any longer: an unavailable
 * subgraph first (the root cause), then a dropped one, then one it was removed from.
 * Undefined when a kept subgraph still resolves it, or none ever did (then it is
 * composition's to judge).
 */
function ownerNeed(context: RuleContext, subgraph: KeptSubgraph, type: string, field: string): Need | undefined {
  const owns = (model: SubgraphModel) =>
    model.name !== subgraph.original.name &&
    (model.types.get(type)?.fields.some((f) => f.name === field && !f.external) ?? false);
  if (context.kept.some((k) => owns(k.current))) return undefined;
  const coordinate = `${type}.${field}`;
  const down = context.down.find(owns);
  if (down) return { subgraph: down.name, coordinate, state: 'down' };
  const dropped = context.dropped.find(owns);
  if (dropped) return { subgraph: dropped.name, coordinate, state: 'dropped' };
  const reduced = context.kept.find((k) => owns(k.original));
  if (reduced) return { subgraph: reduced.original.name, coordinate, state: 'removed' };
  return undefined;
}

/** Who declared the interface an @interfaceObject stands for, when no kept subgraph does any longer. */
function interfaceNeed(context: RuleContext, subgraph: KeptSubgraph, type: string): Need | undefined {
  const declares = (model: SubgraphModel) => model.types.get(type)?.kind === 'interface';
  if (context.kept.some((k) => declares(k.current))) return undefined;
  const down = context.down.find(declares);
  if (down) return { subgraph: down.name, coordinate: type, state: 'down' };
  const dropped = context.dropped.find(declares);
  if (dropped) return { subgraph: dropped.name, coordinate: type, state: 'dropped' };
  const reduced = context.kept.find((k) => k !== subgraph && declares(k.original));
  if (reduced) return { subgraph: reduced.original.name, coordinate: type, state: 'removed' };
  return undefined;
}
