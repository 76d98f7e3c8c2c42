// Asking MedGemma about the selected region or the whole image: the answer streams into the
// live box; the stored answer arrives with the next 'image/file'. Links in answers go through
// the host.

import { h } from '../shared/dom';
import { askBtn, liveAnswer, promptBox, stopBtn } from './dom';
import { viewNow } from './frames';
import { call, host } from './host';
import { answerText } from './side-panel';
import { state, selected } from './state';

export function ask(): void {
  if (state.asking || !state.prompts) return;
  const a = selected();
  const controller = new AbortController();
  const asking = (state.asking = { controller, text: '' });
  liveAnswer.hidden = false;
  liveAnswer.textContent = 'Sending the image…';
  askBtn.disabled = true;
  stopBtn.hidden = false;
  const view = viewNow();
  host
    .request(
      'image/ask',
      { ...(a ? { annotationId: a.id } : {}), frame: view.frame, ...(view.window ? { window: view.window } : {}), ctThreeWindows: view.ctThreeWindows, system: state.prompts[state.kind].system, prompt: promptBox.value },
      {
        signal: controller.signal,
        onChunk: (t) => {
          asking.text += t;
          showLive(asking.text);
        },
      },
    )
    .then(
      () => (liveAnswer.hidden = true), // the stored answer arrives with 'image/file'
      (e: Error) => {
        // Rendered now, not on the next frame: a pending frame would wipe the message below.
        cancelAnimationFrame(liveFrame);
        answerText(asking.text, liveAnswer);
        liveAnswer.append(h('p', { class: 'error' }, `⚠ ${e.message}`));
      },
    )
    .finally(() => {
      state.asking = undefined;
      askBtn.disabled = false;
      stopBtn.hidden = true;
    });
}

export function stopAsking(): void {
  state.asking?.controller.abort();
}

// The streaming answer is re-rendered at most once a frame (answers are a few hundred tokens).
let liveFrame = 0;
function showLive(text: string): void {
  cancelAnimationFrame(liveFrame);
  liveFrame = requestAnimationFrame(() => answerText(text, liveAnswer));
}

/** Links in answers have no href: the host opens web links after the user confirms, nothing else. */
export function openAnswerLink(e: Event): void {
  const a = (e.target as HTMLElement).closest?.('a');
  if (!a || (e instanceof KeyboardEvent && e.key !== 'Enter')) return;
  e.preventDefault();
  e.stopPropagation();
  const href = a.getAttribute('data-href');
  if (href) call(host.request('image/openLink', { href, text: (a.textContent ?? '').slice(0, 500) }));
}
