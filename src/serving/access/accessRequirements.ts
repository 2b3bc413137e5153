import {
  Kind,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  type ConstDirectiveNode,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import type { Caller } from './caller.js';

/**
 * What using one schema element takes, from federation's `@authenticated` and
 * `@requiresScopes` (https://specs.apollo.dev/authenticated/v0.1,
 * https://specs.apollo.dev/requiresScopes/v0.1).
 */
export interface AccessRequirement {
  /** A verified token; true whenever `scopes` is set. */
  readonly authenticated: boolean;
  /** Alternatives, any one of which suffices: each a set of scopes the caller must all have. */
  readonly scopes?: readonly (readonly string[])[];
}

/** The requirements of one supergraph, by schema coordinate (`Type` or `Type.field`). */
export interface AccessRequirements {
  readonly byCoordinate: ReadonlyMap<string, AccessRequirement>;
  /** Every scope some element requires: only these tell two callers apart. */
  readonly scopes: ReadonlySet<string>;
}

/** Why a caller may not use an element: no token at all, or a token without the scopes. */
export type Denial =
  { readonly kind: 'unauthenticated' } | { readonly kind: 'forbidden'; readonly missing: readonly string[] };

const AUTHENTICATED_SPEC = 'https://specs.apollo.dev/authenticated/';
const REQUIRES_SCOPES_SPEC = 'https://specs.apollo.dev/requiresScopes/';

/**
 * Reads the access requirements of a supergraph (the one graphql-js builds from its SDL):
 * the directives' names come from the supergraph's `@link`s (so an `as:` rename is
 * honoured), their uses from every type and field definition. Pure; run once per state.
 */
export function readAccessRequirements(supergraph: GraphQLSchema): AccessRequirements {
  const names = linkedNames(supergraph);
  const byCoordinate = new Map<string, AccessRequirement>();
  const scopes = new Set<string>();
  if (!names.authenticated && !names.requiresScopes) return { byCoordinate, scopes };
  const read = (coordinate: string, directives: readonly ConstDirectiveNode[] | undefined) => {
    const requirement = requirementOf(directives, names);
    if (!requirement) return;
    byCoordinate.set(coordinate, requirement);
    requirement.scopes?.forEach((set) => set.forEach((scope) => scopes.add(scope)));
  };
  for (const type of Object.values(supergraph.getTypeMap())) {
    if (isIntrospectionType(type)) continue;
    read(type.name, typeDirectives(type));
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    for (const field of Object.values(type.getFields())) read(`${type.name}.${field.name}`, field.astNode?.directives);
  }
  return { byCoordinate, scopes };
}

/** Why `caller` may not use an element with this requirement; undefined when it may. */
export function denialFor(requirement: AccessRequirement, caller: Caller): Denial | undefined {
  if (!caller.authenticated) return { kind: 'unauthenticated' };
  if (!requirement.scopes) return undefined;
  let fewest: string[] | undefined;
  for (const alternative of requirement.scopes) {
    const missing = alternative.filter((scope) => !caller.scopes.has(scope));
    if (missing.length === 0) return undefined;
    if (!fewest || missing.length < fewest.length) fewest = missing;
  }
  return { kind: 'forbidden', missing: fewest ?? [] };
}

/** "requires authentication", "requires scope a", "requires scopes a and b", "requires scope a, or scope b". */
export function describeRequirement(requirement: AccessRequirement): string {
  if (!requirement.scopes?.length) return 'requires authentication';
  const sets = requirement.scopes.map((set) => `${set.length === 1 ? 'scope' : 'scopes'} ${set.join(' and ')}`);
  return `requires ${sets.join(', or ')}`;
}

interface DirectiveNames {
  readonly authenticated?: string;
  readonly requiresScopes?: string;
}

function linkedNames(supergraph: GraphQLSchema): DirectiveNames {
  const links = [supergraph.astNode, ...supergraph.extensionASTNodes].flatMap(
    (node) => node?.directives?.filter((d) => d.name.value === 'link') ?? [],
  );
  const names: { authenticated?: string; requiresScopes?: string } = {};
  for (const link of links) {
    const url = stringArgument(link, 'url');
    const as = stringArgument(link, 'as');
    if (url?.startsWith(AUTHENTICATED_SPEC)) names.authenticated = as ?? 'authenticated';
    if (url?.startsWith(REQUIRES_SCOPES_SPEC)) names.requiresScopes = as ?? 'requiresScopes';
  }
  return names;
}

function typeDirectives(type: GraphQLNamedType): ConstDirectiveNode[] {
  return [type.astNode, ...type.extensionASTNodes].flatMap((node) => [...(node?.directives ?? [])]);
}

function requirementOf(
  directives: readonly ConstDirectiveNode[] | undefined,
  names: DirectiveNames,
): AccessRequirement | undefined {
  if (!directives?.length) return undefined;
  const authenticated = directives.some((d) => d.name.value === names.authenticated);
  const scoped = directives.find((d) => d.name.value === names.requiresScopes);
  const scopes = scoped ? scopesArgument(scoped) : undefined;
  if (!authenticated && !scopes) return undefined;
  return scopes ? { authenticated: true, scopes } : { authenticated: true };
}

function scopesArgument(directive: ConstDirectiveNode): string[][] | undefined {
  const value = directive.arguments?.find((a) => a.name.value === 'scopes')?.value;
  if (value?.kind !== Kind.LIST) return undefined;
  const sets = value.values.map((inner) =>
    inner.kind === Kind.LIST ? inner.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : [])) : [],
  );
  return sets.length ? sets : undefined;
}

function stringArgument(directive: ConstDirectiveNode, name: string): string | undefined {
  const value = directive.arguments?.find((a) => a.name.value === name)?.value;
  return value?.kind === Kind.STRING ? value.value : undefined;
}
