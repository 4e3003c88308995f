/** A few DOM helpers instead of a framework: the whole app stays within its JS budget. */

type Child = Node | string | false | null | undefined;
type Attributes = Record<string, string | number | boolean | EventListener | undefined>;

/**
 * Creates an element: `on*` attributes become listeners, `true` sets an empty attribute,
 * `false`/`undefined` leave it out, and strings become text nodes (never HTML).
 *
 * @example
 * h('button', { type: 'button', onclick: () => save() }, 'Save')
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) if (child) element.append(child);
  return element;
}

/** Replaces an element's children. */
export function replace(element: Element, ...children: Child[]): void {
  element.replaceChildren(...children.filter((c): c is Node | string => Boolean(c)));
}

/** Says something to screen readers through the page's polite live region. */
export function announce(message: string): void {
  const region = document.getElementById('announcer');
  if (region) region.textContent = message;
}

const sizeFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

/** 4500001 → "4.3 MB" (binary megabytes, as file managers show them). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${sizeFormat.format(bytes / 1024)} KB`;
  return `${sizeFormat.format(bytes / 1024 / 1024)} MB`;
}
