// axe-core over the chat view's page (a11y.mjs), in the states a user meets: an answered
// conversation, the history list, an error with its fixes.
import { audit } from './a11y.mjs';
import { answerDone, ask, openChat, titleAction } from './chat.mjs';

export const name = 'chat: no serious accessibility violations (axe-core, WCAG 2.1 AA)';

export async function run(ui) {
  const { sim } = ui;
  const frame = await openChat(ui);
  await ask(frame, 'Summarize the renal dosing of metformin in **two** bullets.');
  await answerDone(frame);
  await audit(ui, frame, 'answered conversation');

  await titleAction(ui, 'Chat History');
  await frame.locator('.history-list li').first().waitFor({ timeout: 10_000 });
  await audit(ui, frame, 'history list');
  await titleAction(ui, 'Chat History');

  sim.setFault({ kind: 'server-error-500', count: 1 });
  try {
    await ask(frame, 'Is this dose safe?');
    await frame.locator('.error-banner:not([hidden])').waitFor({ timeout: 60_000 });
    await audit(ui, frame, 'error with its fixes');
    await ui.shot('19-chat-accessibility-error');
  } finally {
    sim.setFault(undefined);
  }
}
