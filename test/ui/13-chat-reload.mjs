// Reload the window: the conversation and the history list are still there.
import { answerDone, ask, chatFrame, lastAnswer, newChat, openChat, titleAction } from './chat.mjs';

export const name = 'chat: conversations survive a window reload';

export async function run(ui) {
  const { page, wb } = ui;
  let frame = await openChat(ui);
  await newChat(ui, frame);
  const question = `Reload check ${Date.now().toString(36)}: what is eGFR?`;
  await ask(frame, question);
  await answerDone(frame);
  const answer = (await lastAnswer(frame).locator('.body').innerText()).trim();
  if (!answer) throw new Error('no answer before the reload');

  await page.reload();
  await wb.waitForWorkbench(page);
  ui.log('window reloaded');
  // The view was open before the reload; the workbench restores it. Focus it anyway.
  frame = await openChat(ui);
  await frame.locator('article.turn.user', { hasText: question }).waitFor({ timeout: 30_000 });
  const after = (await lastAnswer(frame).locator('.body').innerText()).trim();
  if (after !== answer) throw new Error(`the answer changed across the reload: ${JSON.stringify(after.slice(0, 80))}`);
  await titleAction(ui, 'Chat History');
  const entry = frame.locator('.history-list li', { hasText: 'Reload check' }).first();
  await entry.waitFor({ timeout: 10_000 });
  ui.log(`history: ${(await frame.locator('.history-list li').count())} conversation(s)`);
  await ui.shot('13-chat-after-reload');
  await titleAction(ui, 'Chat History');
  void chatFrame;
}
