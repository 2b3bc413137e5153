/** Small DOM helpers. Text goes in as text nodes, never as markup (no innerHTML). */

type Tag = keyof HTMLElementTagNameMap;
type Attributes = { [name: `data-${string}`]: string } & { [name: `aria-${string}`]: string };
/** Element properties to set, `text` for the text content, and data-/aria- attributes. */
export type Props<K extends Tag> = Partial<Omit<HTMLElementTagNameMap[K], 'children'>> & { text?: string } & Attributes;
export type Child = Node | string | null | undefined;

/** The element with this id; the page has them all. */
export function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the console page has no #${id}`);
  return node as T;
}

/** Creates an element with properties and children. */
export function h<K extends Tag>(tag: K, props?: Props<K> | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (key === 'text') node.textContent = String(value);
    else if (key.startsWith('data-') || key.startsWith('aria-')) node.setAttribute(key, String(value));
    else (node as unknown as Record<string, unknown>)[key] = value;
  }
  for (const child of children) if (child != null) node.append(child);
  return node;
}

/** "5 s ago", "3 min ago", "2 h ago", "4 d ago". */
export function timeAgo(iso: string): string {
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}

/** A <time> showing how long ago, with the exact time as its title; `refreshTimes` keeps it current. */
export function time(iso: string): HTMLTimeElement {
  return h('time', { dateTime: iso, title: new Date(iso).toLocaleString(), text: timeAgo(iso) });
}

export function refreshTimes(): void {
  document.querySelectorAll('time').forEach((node) => {
    node.textContent = timeAgo(node.dateTime);
  });
}

export function badge(up: boolean, upText: string, downText: string): HTMLSpanElement {
  return h('span', { className: `badge ${up ? 'up' : 'down'}`, text: up ? upText : downText });
}
