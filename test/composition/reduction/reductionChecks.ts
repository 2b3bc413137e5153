import { Kind, parse, print as printDocument, type DocumentNode } from 'graphql';
import { reducedDefinitions } from '../../../src/composition/reduction/index.js';
import type { AvailableSubgraph, ReductionResult, Removal } from '../../../src/composition/reduction/index.js';
import { elementKey } from '../../../src/composition/reduction/schemaElement.js';
import { withoutElements } from '../../../src/composition/reduction/withoutElements.js';
import { composeApi } from './fixtures.js';

/**
 * Checks of a reduction that do not trust it: they read the reduced SDL themselves and
 * compose with Apollo's composition directly. Each returns the problems found (empty
 * when the check holds), so a test can show they catch wrong reductions too.
 */

/** (a) The kept subgraphs, reduced, compose. */
export function compositionProblems(available: readonly AvailableSubgraph[], result: ReductionResult): string[] {
  if (result.outcome.kind === 'nothingComposes') return [];
  const composed = composeApi(reducedDefinitions(available, result));
  return composed.ok ? [] : composed.errors;
}

/**
 * (b) Nothing kept needs a subgraph that is gone: every @external field of a kept
 * subgraph is resolved (defined without @external) by another kept subgraph, and every
 * field a @requires, @provides or @key mentions is there.
 */
export function unservedNeeds(subgraphs: readonly { name: string; typeDefs: DocumentNode }[]): string[] {
  const resolved = new Map<string, Set<string>>();
  const fieldsOf = new Map<string, Map<string, Set<string>>>();
  for (const s of subgraphs) {
    const types = new Map<string, Set<string>>();
    fieldsOf.set(s.name, types);
    for (const [type, field, directives] of fields(s.typeDefs)) {
      if (!types.has(type)) types.set(type, new Set());
      types.get(type)!.add(field);
      if (!directives.includes('external')) {
        if (!resolved.has(`${type}.${field}`)) resolved.set(`${type}.${field}`, new Set());
        resolved.get(`${type}.${field}`)!.add(s.name);
      }
    }
  }
  const problems: string[] = [];
  for (const s of subgraphs) {
    for (const [type, field, directives, mentions] of fields(s.typeDefs)) {
      const owners = [...(resolved.get(`${type}.${field}`) ?? [])].filter((o) => o !== s.name);
      if (directives.includes('external') && owners.length === 0) {
        problems.push(`${s.name}: ${type}.${field} is @external and no kept subgraph resolves it`);
      }
      for (const [onType, mentioned] of mentions) {
        if (!fieldsOf.get(s.name)!.get(onType)?.has(mentioned)) {
          problems.push(`${s.name}: ${type}.${field} mentions ${onType}.${mentioned}, which is not there`);
        }
      }
    }
  }
  return problems;
}

/** The kept subgraphs of a result, parsed. */
export function keptDocuments(available: readonly AvailableSubgraph[], result: ReductionResult) {
  return reducedDefinitions(available, result);
}

/**
 * (c) Maximality, by brute force: restoring any one or two removed fields, directives or keys,
 * together with what was removed because of it (transitively) and its type when that
 * went too, does not give subgraphs that compose and need nothing gone. Returns the
 * removals that could have stayed.
 */
export function restorableRemovals(available: readonly AvailableSubgraph[], result: ReductionResult): Removal[] {
  if (result.outcome.kind === 'nothingComposes') return [];
  const kept = reducedDefinitions(available, result);
  const restorable: Removal[] = [];
  const candidates = result.removed.filter((r) => r.kind !== 'type');
  // Pairs too: a removal decided on a composition error records no dependency to follow.
  const groups = candidates.flatMap((r, i) => [
    [r],
    ...candidates.slice(i + 1).flatMap((other) => (other.subgraph === r.subgraph ? [[r, other]] : [])),
  ]);
  for (const [removal, ...others] of groups) {
    if (!removal || restorable.includes(removal)) continue;
    const original = available.find((s) => s.name === removal.subgraph)!;
    const here = result.removed.filter((r) => r.subgraph === removal.subgraph);
    const group = [removal, ...others].flatMap((r) => withDependents(r, here));
    const restore = new Set(group.flatMap((r) => [elementKey(r), `type ${r.coordinate.split(/[. ]/)[0]!}`]));
    const stillRemoved = new Set(here.map(elementKey).filter((k) => !restore.has(k)));
    let typeDefs: DocumentNode;
    try {
      typeDefs = parse(printDocument(withoutElements(original.typeDefs, stillRemoved)));
    } catch {
      continue;
    }
    const candidate = kept.map((s) => (s.name === removal.subgraph ? { ...s, typeDefs } : s));
    if (composeApi(candidate).ok && unservedNeeds(candidate).length === 0) restorable.push(removal);
  }
  return restorable;
}

/** The removal and those that went because of it, read from their `needs`. */
function withDependents(removal: Removal, removals: readonly Removal[]): Removal[] {
  const group = [removal];
  for (let i = 0; i < group.length; i++) {
    const r = group[i]!;
    for (const other of removals) {
      if (group.includes(other) || !other.needs) continue;
      const sameRoot =
        r.needs && JSON.stringify(other.needs) === JSON.stringify(r.needs) && r.needs.coordinate === r.coordinate;
      const onIt = other.needs.subgraph === r.subgraph && other.needs.coordinate === r.coordinate;
      if (sameRoot || onIt) group.push(other);
    }
  }
  return group;
}

type FieldFacts = [type: string, field: string, directives: string[], mentions: [string, string][]];

/** Each field of an object type: its directives, and the fields its field sets mention (top level). */
function fields(document: DocumentNode): FieldFacts[] {
  const facts: FieldFacts[] = [];
  for (const d of document.definitions) {
    if (d.kind !== Kind.OBJECT_TYPE_DEFINITION && d.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    const keyMentions = (d.directives ?? [])
      .filter((x) => x.name.value === 'key')
      .flatMap((x) => fieldSet(x.arguments?.find((a) => a.name.value === 'fields')?.value));
    for (const f of d.fields ?? []) {
      const directives = (f.directives ?? []).map((x) => x.name.value);
      const mentions: [string, string][] = [];
      for (const x of f.directives ?? []) {
        const value = x.arguments?.find((a) => a.name.value === 'fields')?.value;
        if (x.name.value === 'requires') for (const m of fieldSet(value)) mentions.push([d.name.value, m]);
        if (x.name.value === 'provides') {
          const returned = namedType(f.type);
          for (const m of fieldSet(value)) mentions.push([returned, m]);
        }
      }
      facts.push([d.name.value, f.name.value, directives, mentions]);
    }
    if (keyMentions.length > 0) facts.push([d.name.value, '@key', [], keyMentions.map((m) => [d.name.value, m])]);
  }
  return facts;
}

function fieldSet(value: { kind: string; value?: unknown } | undefined): string[] {
  if (value?.kind !== Kind.STRING || typeof value.value !== 'string') return [];
  return value.value.split(/\s+/).filter((w) => /^\w+$/.test(w));
}

function namedType(type: { kind: string; type?: unknown; name?: { value: string } }): string {
  return type.name ? type.name.value : namedType(type.type as typeof type);
}
