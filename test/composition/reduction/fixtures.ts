import { compose } from '@apollo/composition';
import { buildSubgraph, errorCauses, printSchema, Subgraphs } from '@apollo/federation-internals';
import { parse, Source, type DocumentNode } from 'graphql';

/** The federation link every test subgraph starts with. */
export const LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires", "@provides", "@shareable", "@override", "@interfaceObject"])\n`;

export function sdl(name: string, body: string): DocumentNode {
  return parse(new Source(LINK + body, name));
}

export function available(subgraphs: Record<string, string>) {
  return Object.entries(subgraphs).map(([name, body]) => ({
    name,
    url: `http://${name}/graphql`,
    typeDefs: sdl(name, body),
  }));
}

export function unavailable(subgraphs: Record<string, string>) {
  return Object.entries(subgraphs).map(([name, body]) => ({ name, typeDefs: sdl(name, body) }));
}

/**
 * Composes subgraphs with Apollo's composition directly (not through the project's
 * composer, which others are changing): the API schema printed, or the error messages.
 */
export function composeApi(
  subgraphs: readonly { name: string; url: string; typeDefs: DocumentNode }[],
): { ok: true; api: string } | { ok: false; errors: string[] } {
  try {
    const set = new Subgraphs();
    for (const s of subgraphs) set.add(buildSubgraph(s.name, s.url, s.typeDefs));
    const result = compose(set);
    if (result.errors) return { ok: false, errors: result.errors.map((e) => e.message) };
    return { ok: true, api: printSchema(result.schema.toAPISchema()) };
  } catch (error) {
    const causes = errorCauses(error as Error);
    return { ok: false, errors: causes ? causes.map((c) => c.message) : [String(error)] };
  }
}
