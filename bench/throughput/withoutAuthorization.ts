import { Kind, visit, type DocumentNode } from 'graphql';

/** The federation directives of authorization (Apollo Router's), which stock Apollo Gateway refuses to serve. */
const AUTHORIZATION = new Set(['authenticated', 'requiresScopes', 'policy']);

/**
 * A subgraph's SDL without its authorization directives, nor their `@link` imports. The
 * stock gateways get the demo supergraph composed from these: Apollo Gateway refuses a
 * supergraph with the SECURITY features it does not implement, and this gateway runs the
 * benchmark with `auth` off, where the directives have no effect either, so every
 * contender serves the same graph with no authorization.
 */
export function withoutAuthorization(document: DocumentNode): DocumentNode {
  return visit(document, {
    Directive(node) {
      return AUTHORIZATION.has(node.name.value) ? null : undefined;
    },
    Argument(node, _key, _parent, _path, ancestors) {
      const directive = ancestors.at(-1);
      if (node.name.value !== 'import' || node.value.kind !== Kind.LIST) return undefined;
      if (!directive || !('kind' in directive) || directive.kind !== Kind.DIRECTIVE || directive.name.value !== 'link')
        return undefined;
      const values = node.value.values.filter(
        (v) => !(v.kind === Kind.STRING && AUTHORIZATION.has(v.value.replace(/^@/, ''))),
      );
      return { ...node, value: { ...node.value, values } };
    },
  });
}
