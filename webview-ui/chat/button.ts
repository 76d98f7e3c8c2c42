// The chat's buttons: a text label for screen readers and a title for the tooltip.

import { type Attrs, h } from '../shared/dom';

export function button(label: string, onclick: (e: Event) => void, attrs: Attrs = {}, text = label): HTMLButtonElement {
  return h('button', { type: 'button', class: 'btn', 'aria-label': label, title: label, onclick, ...attrs }, text);
}
