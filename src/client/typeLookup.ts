import type { NamedTypeInfo, TypeLookup } from './coerceArguments.js';
import type { GatewayClient } from './gatewayClient.js';

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/**
 * Looks named types up in the gateway's schema with one introspection query, so enum
 * values are checked before anything is sent. Without introspection the types are
 * treated as custom scalars and the gateway has the last word.
 */
export function introspectionTypeLookup(client: GatewayClient): TypeLookup {
  return async (names) => {
    const valid = names.filter((name) => GRAPHQL_NAME.test(name));
    const found = new Map<string, NamedTypeInfo>();
    if (!valid.length) return found;
    const fields = valid.map(
      (name, i) => `t${i}: __type(name: "${name}") { kind enumValues(includeDeprecated: true) { name } }`,
    );
    const result = await client.execute(`query ClientArgumentTypes { ${fields.join(' ')} }`);
    valid.forEach((name, i) => {
      const type = result.data?.[`t${i}`] as { kind: string; enumValues: { name: string }[] | null } | null | undefined;
      if (!type) return;
      if (type.kind === 'ENUM') found.set(name, { kind: 'ENUM', values: (type.enumValues ?? []).map((v) => v.name) });
      else if (type.kind === 'INPUT_OBJECT' || type.kind === 'SCALAR') found.set(name, { kind: type.kind });
      else found.set(name, { kind: 'OTHER' });
    });
    return found;
  };
}
