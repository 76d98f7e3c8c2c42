// Server unreachable: an inline message with the fixes, and the typed question stays in the box.
import { ask, openChat } from './chat.mjs';

export const name = 'chat: server unreachable keeps the question and offers the fixes';

export async function run(ui) {
  await ui.stopSim();
  const frame = await openChat(ui);
  const question = 'Does this note mention anticoagulation?';
  await ask(frame, question);
  const banner = frame.locator('.error-banner', { hasText: /reach|connect/i });
  await banner.waitFor({ timeout: 60_000 });
  ui.log(`inline error: ${(await banner.innerText()).replace(/\s+/g, ' ')}`);
  const buttons = await banner.locator('button').allInnerTexts();
  if (!buttons.some((b) => /Check Server/.test(b))) throw new Error(`no Check Server action: ${buttons}`);
  if (!buttons.some((b) => /Retry/.test(b))) throw new Error(`no Retry action: ${buttons}`);
  const kept = await frame.locator('#question').inputValue();
  if (kept !== question) throw new Error(`the typed question was lost: ${JSON.stringify(kept)}`);
  await ui.shot('17-chat-server-down');
}
