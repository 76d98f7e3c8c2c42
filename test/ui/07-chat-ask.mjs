// Focus Chat -> type a question, Enter -> the answer streams in, rendered as markdown.
import { answerDone, ask, assertShowsEnd, chatRequests, lastAnswer, newChat, openChat } from './chat.mjs';

export const name = 'chat: ask, the answer streams in as markdown';

const ANSWER = [
  '## HbA1c targets',
  '',
  'For most non-pregnant adults the target is **below 7 %**; individualize for frailty.',
  '',
  ...Array.from({ length: 12 }, (_, i) => `- consideration ${i + 1}: hypoglycemia risk, comorbidities, life expectancy`),
  '',
  '```text',
  'HbA1c 8.2 % -> intensify therapy',
  '```',
  '',
  'Check against current guidelines.',
].join('\n');

export async function run(ui) {
  const { sim } = ui;
  sim.setOptions({ answerText: ANSWER, tokensPerSecond: 60 });
  try {
    const frame = await openChat(ui);
    await newChat(ui, frame);
    const before = chatRequests(sim).length;
    await ask(frame, 'What HbA1c target fits this patient?');
    // Mid-stream: the answer is partly there and still growing.
    await frame.locator('article.turn.assistant.streaming .md-block, article.turn.assistant.streaming .md-tail li').first().waitFor({ timeout: 30_000 });
    const partial = await lastAnswer(frame).innerText();
    ui.log(`mid-stream: ${partial.length} characters visible`);
    await ui.shot('07-chat-streaming');
    await answerDone(frame);
    const a = lastAnswer(frame);
    const text = await a.innerText();
    if (text.length <= partial.length) throw new Error('the answer did not grow while streaming');
    if ((await a.locator('h2', { hasText: 'HbA1c targets' }).count()) !== 1) throw new Error('the heading is not rendered');
    if ((await a.locator('li').count()) !== 12) throw new Error(`expected 12 list items, got ${await a.locator('li').count()}`);
    if ((await a.locator('strong', { hasText: 'below 7 %' }).count()) !== 1) throw new Error('bold text is not rendered');
    if (!(await a.locator('.code-block button.copy-code').isVisible())) throw new Error('the code block has no Copy button');
    if (chatRequests(sim).length !== before + 1) throw new Error('not exactly one chat request');
    const q = frame.locator('article.turn.user').last();
    if (!(await q.innerText()).includes('What HbA1c target fits this patient?')) throw new Error('the question is not shown');
    const box = await frame.locator('#question').inputValue();
    if (box) throw new Error(`the question box was not cleared: ${box}`);
    ui.log(`budget: ${await frame.locator('.budget').innerText()}`);
    await assertShowsEnd(ui, frame, 'a long answer done');
    await ui.shot('07-chat-answer');
  } finally {
    sim.setOptions({ answerText: undefined, tokensPerSecond: 150 });
  }
}
