/** SVG counterparts of dom.ts's `h`: attributes set one by one, text as text nodes (never markup). */

const SVG_NS = 'http://www.w3.org/2000/svg';

type SvgTag = keyof SVGElementTagNameMap;
export type SvgChild = Node | string | null | undefined;

/** Creates an SVG element with attributes (geometry, class, data-*, aria-*) and children. */
export function s<K extends SvgTag>(
  tag: K,
  attributes?: Readonly<Record<string, string | number>> | null,
  ...children: SvgChild[]
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes ?? {})) node.setAttribute(name, String(value));
  for (const child of children) if (child != null) node.append(child);
  return node;
}

/** The hover text of an SVG element: its first child `<title>`. */
export const tooltip = (text: string) => s('title', null, text);

/** `text` cut to `max` characters with an ellipsis (the tooltip has it whole). */
export function fit(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}\u2026`;
}
