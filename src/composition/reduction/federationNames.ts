import { Kind, type ConstValueNode, type DocumentNode } from 'graphql';

/** The federation directives the reduction reads, by their spec names. */
export type FederationDirective =
  'key' | 'external' | 'requires' | 'provides' | 'override' | 'interfaceObject' | 'shareable';

const DIRECTIVES: readonly FederationDirective[] = [
  'key',
  'external',
  'requires',
  'provides',
  'override',
  'interfaceObject',
  'shareable',
];

/** The name each federation directive goes by in one subgraph's SDL. */
export type FederationNames = Readonly<Record<FederationDirective, string>>;

/**
 * Resolves the names a subgraph uses for federation's directives from its
 * `@link(url: ".../federation/v2.x", as:, import:)`: imported ones by their (possibly
 * renamed) name, the others namespaced (`federation__key`). Without a federation link the
 * subgraph is Federation 1, where the names are plain.
 */
export function federationNames(document: DocumentNode): FederationNames {
  const link = federationLink(document);
  const names = {} as Record<FederationDirective, string>;
  for (const directive of DIRECTIVES) {
    names[directive] = link ? (link.imports.get(directive) ?? `${link.prefix}__${directive}`) : directive;
  }
  return names;
}

/** Federation's directives, by the plain names a Federation 1 subgraph uses for them. */
const FEDERATION_1_DIRECTIVES: ReadonlySet<string> = new Set([
  'key',
  'external',
  'requires',
  'provides',
  'extends',
  'shareable',
  'override',
  'inaccessible',
  'tag',
]);

/**
 * The spec name (`key`, `shareable`…) of a directive name as the subgraph spells it
 * (imported, renamed or namespaced, see federationNames); undefined for a directive that
 * is not federation's.
 */
export function federationSpecName(document: DocumentNode): (name: string) => string | undefined {
  const link = federationLink(document);
  if (!link) return (name) => (FEDERATION_1_DIRECTIVES.has(name) ? name : undefined);
  const imported = new Map([...link.imports].map(([spec, local]) => [local, spec]));
  const prefix = `${link.prefix}__`;
  return (name) => imported.get(name) ?? (name.startsWith(prefix) ? name.slice(prefix.length) : undefined);
}

interface FederationLink {
  readonly prefix: string;
  readonly imports: ReadonlyMap<string, string>;
}

function federationLink(document: DocumentNode): FederationLink | undefined {
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const directive of definition.directives ?? []) {
      if (directive.name.value !== 'link') continue;
      const argument = (name: string) => directive.arguments?.find((a) => a.name.value === name)?.value;
      const url = argument('url');
      if (url?.kind !== Kind.STRING || !/\/federation\/v/.test(url.value)) continue;
      const as = argument('as');
      const imports = new Map<string, string>();
      const imported = argument('import');
      if (imported?.kind === Kind.LIST) for (const value of imported.values) addImport(imports, value);
      return { prefix: as?.kind === Kind.STRING ? as.value : 'federation', imports };
    }
  }
  return undefined;
}

function addImport(imports: Map<string, string>, value: ConstValueNode): void {
  if (value.kind === Kind.STRING) {
    if (value.value.startsWith('@')) imports.set(value.value.slice(1), value.value.slice(1));
    return;
  }
  if (value.kind !== Kind.OBJECT) return;
  const field = (name: string) => value.fields.find((f) => f.name.value === name)?.value;
  const name = field('name');
  const as = field('as');
  if (name?.kind !== Kind.STRING || !name.value.startsWith('@')) return;
  imports.set(name.value.slice(1), as?.kind === Kind.STRING ? as.value.replace(/^@/, '') : name.value.slice(1));
}
