import { element } from '../reduction/schemaElement.js';
import type { TypeKind } from '../reduction/subgraphModel.js';
import type { SchemaElement } from '../reduction/types.js';
import { acrossVersions, alike, compare, sentence, type LabeledVersion, type VersionGroup } from './acrossVersions.js';
import type { VersionDifference } from './types.js';
import type { InputSignature, TypeSignature, VersionSignatures } from './versionSignatures.js';

const KIND_WORDS: Readonly<Record<TypeKind, string>> = {
  object: 'an object type',
  interface: 'an interface',
  input: 'an input type',
  enum: 'an enum',
  union: 'a union',
  scalar: 'a scalar',
};

/**
 * The elements of the base version that some version lacks or has otherwise, each with
 * why: a type of another kind; a field with another return type or other federation
 * directives; an argument or input field of another type or default, or missing (when it
 * is required in some version, its field or input type goes instead); an enum value,
 * union member, `implements` or @key not in every version. What only other versions have
 * is no difference, unless a request must give it (a required argument or input field).
 * Only direct differences: what they take along is the cascade's (leftOutCascade).
 */
export function versionDifferences(base: VersionSignatures, versions: readonly LabeledVersion[]): VersionDifference[] {
  const differences: VersionDifference[] = [];
  const differ = (e: SchemaElement, detail: string) => differences.push({ element: e, detail });
  for (const [name, type] of base.types) {
    const kinds = acrossVersions(
      versions,
      (v) => v.types.get(name),
      (t) => t.signature,
    );
    if (!alike(kinds)) {
      differ(
        element.type(name),
        sentence(`type ${name}`, kinds, (t, labels, differs) =>
          differs
            ? { verb: 'is', rest: `${KIND_WORDS[t.kind]}${t.signature.slice(t.kind.length)} in ${labels}` }
            : undefined,
        ),
      );
      continue;
    }
    const lacking = (has: (t: TypeSignature) => boolean) =>
      versions
        .filter((v) => !has(v.signatures.types.get(name)!))
        .map((v) => v.label)
        .sort(compare);
    for (const [normalized, fields] of type.keys) {
      const without = lacking((t) => t.keys.has(normalized));
      if (without.length)
        differ(
          element.key(name, fields),
          `type ${name} has no @key(fields: ${JSON.stringify(fields)}) in ${without.join(', ')}`,
        );
    }
    for (const iface of type.interfaces) {
      const without = lacking((t) => t.interfaces.has(iface));
      if (without.length)
        differ(element.implements(name, iface), `type ${name} does not implement ${iface} in ${without.join(', ')}`);
    }
    for (const member of type.members) {
      const without = lacking((t) => t.members.has(member));
      if (without.length)
        differ(element.unionMember(name, member), `union ${name} has no member ${member} in ${without.join(', ')}`);
    }
    for (const value of type.values.keys()) {
      const groups = acrossVersions(
        versions,
        (v) => v.types.get(name)!.values.get(value),
        (d) => d,
      );
      if (alike(groups)) continue;
      const detail = sentence(`enum value ${name}.${value}`, groups, (d, labels, differs) =>
        differs ? { verb: 'is declared', rest: `${d || 'without federation directives'} in ${labels}` } : undefined,
      );
      differ(element.enumValue(name, value), detail);
    }
    const inputType = inputDifferences(
      versions,
      name,
      (input) => `input field ${name}.${input}`,
      (t) => t.inputFields,
      element.type(name),
    );
    for (const d of inputType.differences) differ(d.element, d.detail);
    if (inputType.whole) continue;
    const word = base.roots.has(name) ? 'root field' : 'field';
    for (const field of type.fields.keys()) {
      const coordinate = `${name}.${field}`;
      const fields = acrossVersions(
        versions,
        (v) => v.types.get(name)!.fields.get(field),
        (f) => f.signature,
      );
      if (!alike(fields)) {
        differ(
          element.field(name, field),
          sentence(`${word} ${coordinate}`, fields, (f, labels, differs) =>
            differs ? { verb: 'returns', rest: `${f.signature} in ${labels}` } : undefined,
          ),
        );
        continue;
      }
      const args = inputDifferences(
        versions,
        name,
        (arg) => `argument ${arg} of ${word} ${coordinate}`,
        (t) => t.fields.get(field)!.args,
        element.field(name, field),
        (arg) => element.argument(name, field, arg),
      );
      for (const d of args.differences) differ(d.element, d.detail);
    }
  }
  return differences;
}

/**
 * Arguments of a field, or fields of an input type, not alike in every version: one that
 * is required in some version takes `whole` (the field, the input type) along, and ends
 * the search; another goes alone when the base has it.
 */
function inputDifferences(
  versions: readonly LabeledVersion[],
  type: string,
  subject: (name: string) => string,
  inputsOf: (t: TypeSignature) => ReadonlyMap<string, InputSignature>,
  whole: SchemaElement,
  part: (name: string) => SchemaElement = (name) => element.inputField(type, name),
): { differences: VersionDifference[]; whole: boolean } {
  const inputs = (v: LabeledVersion) => inputsOf(v.signatures.types.get(type)!);
  const [base, ...others] = versions;
  const names = [...inputs(base!).keys()];
  const extra = new Set(others.flatMap((v) => [...inputs(v).keys()]).filter((n) => !names.includes(n)));
  const differences: VersionDifference[] = [];
  for (const name of [...names, ...[...extra].sort(compare)]) {
    const groups: VersionGroup<InputSignature>[] = acrossVersions(
      versions,
      (v) => inputsOf(v.types.get(type)!).get(name),
      (s) => s.signature,
    );
    if (alike(groups)) continue;
    const required = groups.some((g) => g.value?.required);
    if (!required && extra.has(name)) continue;
    const detail = sentence(subject(name), groups, (s, labels, differs) =>
      differs
        ? { verb: 'has type', rest: `${s.signature} in ${labels}` }
        : s.required
          ? { verb: 'is', rest: `required in ${labels}` }
          : undefined,
    );
    if (required) return { differences: [...differences, { element: whole, detail }], whole: true };
    differences.push({ element: part(name), detail });
  }
  return { differences, whole: false };
}
