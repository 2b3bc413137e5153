import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import {
  isAbstractType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  parse,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';

/** A subgraph server on loopback; every version of a subgraph is its own server. */
export interface RunningSubgraph {
  readonly name: string;
  /** Its GraphQL endpoint. */
  readonly url: string;
  close(): Promise<void>;
}

/** What the resolvers hand down: the value's identity, which every nested value derives from. */
interface Parent {
  readonly __typename?: string;
  readonly id?: string;
  readonly __key: string;
}

/** FNV-1a, 32 bits: a stable small hash of a string. */
export function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** JSON with object keys sorted, so equal arguments give equal seeds whatever their order. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const isInaccessible = (node: { directives?: readonly { name: { value: string } }[] } | null | undefined) =>
  !!node?.directives?.some((d) => d.name.value === 'inaccessible' || d.name.value === 'federation__inaccessible');

const isEntity = (schema: GraphQLSchema, typeName: string) =>
  !!schema.getType(typeName)?.astNode?.directives?.some((d) => d.name.value === 'key');

/**
 * The value of a field from a seed: the same type and seed give the same value in every
 * subgraph and every version (shareable fields must resolve alike). Entities get one of
 * four ids, so lists from different subgraphs meet the same entities. Lists have 0–2
 * elements; a nullable value is null one time in seven.
 */
function valueFor(schema: GraphQLSchema, type: GraphQLOutputType, seed: string, nullable = true): unknown {
  const h = hash(seed);
  if (isNonNullType(type)) return valueFor(schema, type.ofType, seed, false);
  if (nullable && h % 7 === 0) return null;
  if (isListType(type)) {
    return Array.from({ length: (h >>> 3) % 3 }, (_, i) => valueFor(schema, type.ofType, `${seed}/${i}`));
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'Int':
        return (h >>> 3) % 100;
      case 'Boolean':
        return (h >>> 3) % 2 === 0;
      case 'ID':
        return String((h >>> 3) % 4);
      case 'Float':
        return ((h >>> 3) % 100) / 4;
      default:
        return `s${(h >>> 3) % 97}`;
    }
  }
  if (isEnumType(type)) {
    const values = type.getValues().filter((value) => !isInaccessible(value.astNode));
    return values[(h >>> 3) % values.length]?.value ?? null;
  }
  if (isAbstractType(type)) {
    const possible = schema.getPossibleTypes(type);
    const chosen = possible[(h >>> 3) % possible.length];
    return chosen ? valueFor(schema, chosen, seed, nullable) : null;
  }
  if (isEntity(schema, type.name)) {
    const id = String((h >>> 3) % 4);
    return { __typename: type.name, id, __key: `${type.name}:${id}` } satisfies Parent;
  }
  return { __typename: type.name, __key: seed } satisfies Parent;
}

/** Resolvers for every object field, `__resolveReference` for entities, `__resolveType` for abstract types. */
function deterministicResolvers(sdl: string): GraphQLResolverMap<unknown> {
  const schema = buildSubgraphSchema({ typeDefs: parse(sdl) });
  const resolvers: GraphQLResolverMap<unknown> = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('_') || type.name.startsWith('__')) continue;
    if (isAbstractType(type)) {
      resolvers[type.name] = { __resolveType: (value: Parent) => value.__typename ?? null };
      continue;
    }
    if (!isObjectType(type)) continue;
    const fields: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (field.name.startsWith('_')) continue;
      if (isEntity(schema, type.name) && field.name === 'id') {
        fields.id = (parent: Parent) => parent.id;
        continue;
      }
      fields[field.name] = (
        parent: Parent | undefined,
        args: Record<string, unknown>,
        _context: unknown,
        info: { schema: GraphQLSchema; returnType: GraphQLOutputType },
      ) => valueFor(info.schema, info.returnType, `${parent?.__key ?? 'root'}.${field.name}(${stableJson(args)})`);
    }
    if (isEntity(schema, type.name)) {
      fields.__resolveReference = (reference: { id: string }) =>
        ({ __typename: type.name, id: reference.id, __key: `${type.name}:${reference.id}` }) satisfies Parent;
    }
    resolvers[type.name] = fields as GraphQLResolverMap<unknown>[string];
  }
  return resolvers;
}

/**
 * Starts a real HTTP subgraph for `sdl` on an ephemeral loopback port. Its data is a pure
 * function of type, field, arguments and parent key, so two gateways over the same
 * subgraphs get identical answers.
 */
export async function startDeterministicSubgraph(name: string, sdl: string): Promise<RunningSubgraph> {
  const schema = buildSubgraphSchema({ typeDefs: parse(sdl), resolvers: deterministicResolvers(sdl) });
  const server = new ApolloServer({
    schema,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { name, url, close: () => server.stop() };
}
