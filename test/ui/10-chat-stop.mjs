// Stop mid-answer: the HTTP request closes (the server stops generating), the partial answer stays.
import { ask, assertShowsEnd, chatRequests, lastAnswer, openChat } from './chat.mjs';

export const name = 'chat: stop mid-answer closes the connection and keeps the partial answer';

export async function run(ui) {
  const { sim, wb } = ui;
  sim.setFault({ kind: 'stall-mid-stream', afterChunks: 6, ms: 120_000, count: 1 });
  const frame = await openChat(ui);
  await ask(frame, 'Explain the renal dosing of metformin step by step');
  await wb.until('the answer to start streaming', () => chatRequests(sim).some((r) => !r.done && r.contentChunks >= 6), 30_000);
  const stop = frame.getByRole('button', { name: 'Stop the answer' });
  await stop.waitFor();
  await ui.shot('10-chat-before-stop');
  const closed = sim.waitForClose(undefined, 15_000).then(() => undefined, (e) => e);
  await stop.click();
  const err = await closed;
  if (err) throw new Error(`the simulator never saw the connection close: ${err.message}`);
  ui.log('the simulator saw the connection close');
  const note = lastAnswer(frame).locator('.finish-note', { hasText: /Stopped by you/ });
  await note.waitFor({ timeout: 10_000 });
  // (The text is laid out in the frame after the note appears.)
  const text = await wb.until('the partial answer to show', async () => (await lastAnswer(frame).locator('.body').innerText()).trim(), 5_000).catch(() => '');
  if (!text) throw new Error('the partial answer was not kept');
  ui.log(`partial answer kept: ${JSON.stringify(text.slice(0, 60))}`);
  await frame.getByRole('button', { name: 'Send question (Enter)' }).waitFor();
  await assertShowsEnd(ui, frame, 'after Stop');
  await ui.shot('10-chat-stopped');
}
