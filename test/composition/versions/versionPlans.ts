import fc from 'fast-check';
import { LINK } from '../reduction/fixtures.js';

/**
 * Random federation subgraphs and versions of them, for the property test: a base plan
 * (entities implementing `Node`, an enum, an input type, a union, roots), and versions
 * derived from it by a few random edits of the kinds a release makes.
 */

export interface InputPlan {
  name: string;
  type: string;
  defaultValue?: string;
}

export interface FieldPlan {
  name: string;
  type: string;
  args: InputPlan[];
  shareable: boolean;
  /** @external or @requires, as printed. */
  directive?: string;
}

export interface ObjectPlan {
  name: string;
  entity: boolean;
  node: boolean;
  fields: FieldPlan[];
}

export interface SchemaPlan {
  colors: string[];
  filter: InputPlan[];
  members: string[];
  objects: ObjectPlan[];
}

const SCALARS = ['Int', 'String', 'Boolean'];
const WRAPS = ['%', '%!', '[%]', '[%!]!'];
const DEFAULTS: Readonly<Record<string, string>> = { Int: '3', String: '"x"', Boolean: 'true' };

const arbInput = fc.record({ type: fc.nat(9), required: fc.boolean(), withDefault: fc.boolean() });
const arbField = fc.record({
  type: fc.nat(19),
  wrap: fc.nat(WRAPS.length - 1),
  args: fc.array(arbInput, { maxLength: 2 }),
  shareable: fc.boolean(),
});
type FieldSeed = typeof arbField extends fc.Arbitrary<infer T> ? T : never;
type InputSeed = typeof arbInput extends fc.Arbitrary<infer T> ? T : never;

export const arbSchemaPlan: fc.Arbitrary<SchemaPlan> = fc
  .record({
    colors: fc.integer({ min: 1, max: 3 }),
    entities: fc.array(
      fc.record({
        node: fc.boolean(),
        requires: fc.boolean(),
        fields: fc.array(arbField, { minLength: 1, maxLength: 3 }),
      }),
      {
        minLength: 1,
        maxLength: 3,
      },
    ),
    filter: fc.array(arbInput, { minLength: 1, maxLength: 3 }),
    members: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
    query: fc.array(arbField, { minLength: 1, maxLength: 3 }),
    mutation: fc.option(fc.array(arbField, { minLength: 1, maxLength: 2 }), { nil: undefined }),
  })
  .map((seed) => {
    const colors = ['RED', 'GREEN', 'BLUE'].slice(0, seed.colors);
    const entityNames = seed.entities.map((_, i) => `T${i}`);
    const plan: SchemaPlan = { colors, filter: [], members: [], objects: [] };
    plan.filter = seed.filter.map((s, i) => inputOf(plan, `i${i}`, s, false));
    plan.members = entityNames.filter((_, i) => seed.members[i]);
    if (plan.members.length === 0) plan.members = [entityNames[0]!];
    const fieldsOf = (seeds: readonly FieldSeed[], prefix: string) =>
      seeds.map((s, i) => fieldOf(plan, `${prefix}${i}`, s.type, s.wrap, s.shareable, s.args));
    seed.entities.forEach((e, i) => {
      const fields: FieldPlan[] = [{ name: 'id', type: 'ID!', args: [], shareable: false }, ...fieldsOf(e.fields, 'f')];
      if (e.node) fields.push({ name: 'label', type: 'String', args: [], shareable: false });
      if (e.requires) {
        fields.push({ name: 'w', type: 'Int', args: [], shareable: false, directive: '@external' });
        fields.push({ name: 'r', type: 'Int', args: [], shareable: false, directive: '@requires(fields: "w")' });
      }
      plan.objects.push({ name: entityNames[i]!, entity: true, node: e.node, fields });
    });
    plan.objects.push({ name: 'Query', entity: false, node: false, fields: fieldsOf(seed.query, 'q') });
    if (seed.mutation)
      plan.objects.push({ name: 'Mutation', entity: false, node: false, fields: fieldsOf(seed.mutation, 'm') });
    return plan;
  });

/** One edit a new version makes; its numbers pick what it edits, modulo what there is. */
export interface Edit {
  op: (typeof EDITS)[number];
  a: number;
  b: number;
  c: number;
  flag: boolean;
}

const EDITS = [
  'addField',
  'removeField',
  'retypeField',
  'addArgument',
  'removeArgument',
  'retypeArgument',
  'addColor',
  'removeColor',
  'addInputField',
  'removeInputField',
  'renameField',
  'toggleShareable',
  'toggleNode',
  'removeMember',
] as const;

export const arbEdit: fc.Arbitrary<Edit> = fc.record({
  op: fc.constantFrom(...EDITS),
  a: fc.nat(9),
  b: fc.nat(9),
  c: fc.nat(19),
  flag: fc.boolean(),
});

/** The plan with the edits made, the plan itself untouched. */
export function edited(plan: SchemaPlan, edits: readonly Edit[]): SchemaPlan {
  const next: SchemaPlan = structuredClone(plan);
  for (const edit of edits) applyEdit(next, edit);
  return next;
}

/** The plan as a subgraph's SDL, with the federation link of the reduction's fixtures. */
export function printPlan(plan: SchemaPlan): string {
  const input = (i: InputPlan) => `${i.name}: ${i.type}${i.defaultValue === undefined ? '' : ` = ${i.defaultValue}`}`;
  const objects = plan.objects.map((o) => {
    const heading = `type ${o.name}${o.node ? ' implements Node' : ''}${o.entity ? ' @key(fields: "id")' : ''}`;
    const fields = o.fields.map((f) => {
      const args = f.args.length ? `(${f.args.map(input).join(', ')})` : '';
      const directives = [f.directive, f.shareable ? '@shareable' : undefined].filter((d) => d !== undefined);
      return `  ${[`${f.name}${args}: ${f.type}`, ...directives].join(' ')}`;
    });
    return `${heading} {\n${fields.join('\n')}\n}`;
  });
  return [
    LINK,
    'interface Node { id: ID! label: String }',
    `enum Color { ${plan.colors.join(' ')} }`,
    `input Filter { ${plan.filter.map(input).join(' ')} }`,
    `union Result = ${plan.members.join(' | ')}`,
    ...objects,
  ].join('\n');
}

function outputTypes(plan: SchemaPlan): string[] {
  const entities = plan.objects.filter((o) => o.entity).map((o) => o.name);
  return [...SCALARS, 'Color', 'Node', 'Result', ...(entities.length ? entities : ['Int'])];
}

function fieldOf(
  plan: SchemaPlan,
  name: string,
  type: number,
  wrap: number,
  shareable: boolean,
  args: readonly InputSeed[],
): FieldPlan {
  const types = outputTypes(plan);
  const named = types[type % types.length]!;
  return {
    name,
    type: WRAPS[wrap % WRAPS.length]!.replace('%', named),
    args: args.map((s, i) => inputOf(plan, `a${i}`, s, true)),
    shareable,
  };
}

function inputOf(plan: SchemaPlan, name: string, seed: InputSeed, argument: boolean): InputPlan {
  const types = [...SCALARS, 'Color', ...(argument ? ['Filter'] : [])];
  const named = types[seed.type % types.length]!;
  const defaultValue = named === 'Color' ? plan.colors[0] : DEFAULTS[named];
  return {
    name,
    type: seed.required ? `${named}!` : named,
    ...(seed.withDefault && defaultValue !== undefined ? { defaultValue } : {}),
  };
}

function applyEdit(plan: SchemaPlan, edit: Edit): void {
  const object = plan.objects[edit.a % plan.objects.length]!;
  const editable = object.fields.filter((f) => f.name !== 'id' && f.directive !== '@external');
  const field = editable[edit.b % Math.max(editable.length, 1)];
  const seed = { type: edit.c, required: edit.flag, withDefault: edit.c % 2 === 0 };
  switch (edit.op) {
    case 'addField':
      if (!object.fields.some((f) => f.name === `n${edit.b}`))
        object.fields.push(fieldOf(plan, `n${edit.b}`, edit.c, edit.flag ? 1 : 0, false, []));
      return;
    case 'removeField':
      if (field && editable.length > 1) object.fields.splice(object.fields.indexOf(field), 1);
      return;
    case 'retypeField':
      if (field) field.type = fieldOf(plan, field.name, edit.c, edit.flag ? 1 : 0, false, []).type;
      return;
    case 'addArgument':
      if (field && !field.args.some((a) => a.name === `b${edit.b}`))
        field.args.push(inputOf(plan, `b${edit.b}`, seed, true));
      return;
    case 'removeArgument':
      if (field?.args.length) field.args.splice(edit.c % field.args.length, 1);
      return;
    case 'retypeArgument': {
      const arg = field?.args[edit.c % Math.max(field.args.length, 1)];
      if (arg) Object.assign(arg, inputOf(plan, arg.name, seed, true));
      return;
    }
    case 'addColor':
      if (!plan.colors.includes(`EXTRA${edit.b % 2}`)) plan.colors.push(`EXTRA${edit.b % 2}`);
      return;
    case 'removeColor': {
      if (plan.colors.length === 1) return;
      const [color] = plan.colors.splice(edit.b % plan.colors.length, 1);
      // A release that drops a value drops the defaults naming it, too.
      for (const input of [...plan.filter, ...plan.objects.flatMap((o) => o.fields.flatMap((f) => f.args))]) {
        if (input.defaultValue === color) delete input.defaultValue;
      }
      return;
    }
    case 'addInputField':
      if (!plan.filter.some((i) => i.name === `j${edit.b}`)) plan.filter.push(inputOf(plan, `j${edit.b}`, seed, false));
      return;
    case 'removeInputField':
      if (plan.filter.length > 1) plan.filter.splice(edit.b % plan.filter.length, 1);
      return;
    case 'renameField':
      if (field) field.name = `${field.name}x`;
      return;
    case 'toggleShareable':
      if (field) field.shareable = !field.shareable;
      return;
    case 'toggleNode':
      if (!object.entity) return;
      object.node = !object.node;
      if (object.node && !object.fields.some((f) => f.name === 'label'))
        object.fields.push({ name: 'label', type: 'String', args: [], shareable: false });
      return;
    case 'removeMember':
      if (plan.members.length > 1) plan.members.splice(edit.b % plan.members.length, 1);
      return;
  }
}
