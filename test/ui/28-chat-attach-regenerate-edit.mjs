// The chat's own ways of asking again, as a user reaches them: Add Selection to Chat and Add
// Active File to Chat from the command palette put the note's text in the request; Regenerate
// asks the same question again and replaces the answer; Edit and resend replaces the last
// question and its answer.
import { answerDone, ask, chatFrame, chatRequests, lastAnswer, newChat, openChat } from './chat.mjs';

export const name = 'chat: add selection and file, regenerate, edit and resend';

/** The text of the last user turn the server received. */
function lastUserText(sim) {
  const body = chatRequests(sim).at(-1)?.body;
  const user = [...(body?.messages ?? [])].reverse().find((m) => m.role === 'user');
  if (!user) return '';
  return typeof user.content === 'string' ? user.content : user.content.filter((p) => p.type === 'text').map((p) => p.text).join('\n');
}

export async function run(ui) {
  const { page, wb, sim } = ui;
  const frame0 = await openChat(ui);
  await newChat(ui, frame0);

  // Lines 11-14 of the note are its medication list.
  await wb.openFile(page, 'note.txt');
  await wb.selectLines(page, 11, 14);
  await wb.runCommand(page, 'MedGemma: Add Selection to Chat');
  const frame = await chatFrame(ui);
  await frame.locator('.chip', { hasText: 'note.txt' }).first().waitFor({ timeout: 15_000 });
  const chip = (await frame.locator('.chip').first().innerText()).replace(/\s+/g, ' ');
  ui.log(`selection chip: ${chip}`);
  if (!/11.*14/.test(chip)) throw new Error(`the chip does not name lines 11-14: ${chip}`);

  let before = chatRequests(sim).length;
  await ask(frame, 'Which of these drugs lowers glucose?');
  await answerDone(frame);
  if (chatRequests(sim).length !== before + 1) throw new Error('the question did not reach the server once');
  const sent = lastUserText(sim);
  if (!sent.includes('Metformin 1,000 mg PO BID') || !sent.includes('Atorvastatin 20 mg PO daily')) throw new Error('the selected lines are not in the request');
  if (sent.includes('Allergies: sulfa')) throw new Error('the request carries lines outside the selection');
  if (!sent.trimEnd().endsWith('Which of these drugs lowers glucose?')) throw new Error('the question is not the end of the request');
  await ui.shot('28-chat-selection');

  // Regenerate: the same question again, one answer in the conversation.
  before = chatRequests(sim).length;
  await lastAnswer(frame).hover();
  await lastAnswer(frame).locator('button[aria-label="Regenerate answer"]').click();
  await wb.until('the regenerated request', () => chatRequests(sim).length === before + 1, 30_000);
  await answerDone(frame);
  if (lastUserText(sim) !== sent) throw new Error('Regenerate did not send the same question and selection');
  if ((await frame.locator('article.turn.assistant').count()) !== 1) throw new Error('Regenerate added an answer instead of replacing it');
  if ((await frame.locator('.turn.user').count()) !== 1) throw new Error('Regenerate added a question');

  // Edit and resend: the box takes the question back; sending replaces question and answer.
  const question = frame.locator('.turn.user').last();
  await question.hover();
  await question.locator('button[aria-label="Edit and resend"]').click();
  await frame.locator('.edit-note').waitFor({ state: 'visible', timeout: 10_000 });
  const box = frame.locator('#question');
  if ((await box.inputValue()) !== 'Which of these drugs lowers glucose?') throw new Error(`the box holds "${await box.inputValue()}", not the question`);
  await ui.shot('28-chat-editing');
  before = chatRequests(sim).length;
  await box.fill('Which of these drugs lowers blood pressure?');
  await box.press('Enter');
  await wb.until('the edited request', () => chatRequests(sim).length === before + 1, 30_000);
  await answerDone(frame);
  const edited = lastUserText(sim);
  if (!edited.trimEnd().endsWith('Which of these drugs lowers blood pressure?')) throw new Error('the edited question was not sent');
  if (edited.includes('lowers glucose')) throw new Error('the replaced question was still sent');
  const msgs = chatRequests(sim).at(-1).body.messages;
  if (msgs.length !== 1) throw new Error(`the edited question went with ${msgs.length - 1} earlier messages: the replaced turn was kept`);
  const users = await frame.locator('.turn.user').allInnerTexts();
  if (users.length !== 1 || !users[0].includes('lowers blood pressure')) throw new Error(`questions shown after the edit: ${JSON.stringify(users)}`);

  // Add Active File to Chat: the whole note goes with the next question.
  await newChat(ui, frame);
  await wb.openFile(page, 'note.txt');
  await wb.runCommand(page, 'MedGemma: Add Active File to Chat');
  const frame2 = await chatFrame(ui);
  await frame2.locator('.chip', { hasText: 'note.txt' }).first().waitFor({ timeout: 15_000 });
  await ask(frame2, 'Summarize the plan.');
  await answerDone(frame2);
  const withFile = lastUserText(sim);
  for (const line of ['INTERNAL MEDICINE CLINIC - PROGRESS NOTE', 'Allergies: sulfa (rash).']) {
    if (!withFile.includes(line)) throw new Error(`the file's text is not in the request (missing "${line}")`);
  }
  await ui.shot('28-chat-file');
}
