// A small element builder: h('button', { class: 'x', onclick }, 'text', child).

type Attrs = Record<string, string | boolean | number | undefined | ((e: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Array<Node | string | false | undefined | null>): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v as EventListener);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children) if (c !== false && c !== undefined && c !== null) el.append(c);
  return el;
}

/** A codicon-free icon button: text label for screen readers and a title for the tooltip. */
export function button(label: string, onclick: (e: Event) => void, attrs: Attrs = {}, text = label): HTMLButtonElement {
  return h('button', { type: 'button', class: 'btn', 'aria-label': label, title: label, onclick, ...attrs }, text);
}
