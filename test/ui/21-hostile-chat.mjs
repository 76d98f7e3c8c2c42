// Hostile model output in the chat, several hundred vectors streamed token by token (tags and
// schemes split across chunks): nothing runs, nothing is fetched, no element keeps an href or
// a handler. Every link in every answer is clicked: web and mail links show our modal with the
// real destination and open nothing until "Open" is pressed (browser pages and hits on the
// simulator's /__evil/ path are counted, not only the modal); every other link is text.
import { answerDone, ask, lastAnswer, newChat, openChat } from './chat.mjs';
import { answers, cancelLinkModal, clickEveryLink, uiVectors, unsafeDom, watch } from './hostile.mjs';

export const name = 'chat: hostile answers run nothing, fetch nothing, open no link without consent';

export async function run(ui) {
  const { page, sim } = ui;
  const evil = `${sim.url}/__evil`;
  const vectors = uiVectors(evil);
  const w = watch(ui);
  sim.setOptions({ tokensPerSecond: 0 });
  try {
    const frame = await openChat(ui);
    await newChat(ui, frame);
    let links = 0;
    let modals = 0;
    let sawBidi = false;
    for (const [i, text] of answers(vectors, 110).entries()) {
      sim.setOptions({ answerText: text });
      await ask(frame, `Summarize the attached guideline (${i + 1})`);
      await answerDone(frame);
      const dom = await unsafeDom(frame, 'article.turn.assistant .body');
      if (dom.bad.length) throw new Error(`answer ${i + 1}: unsafe markup survived: ${dom.bad.slice(0, 8).join(', ')}`);
      w.assertQuiet(`answer ${i + 1} rendered`);
      const answer = lastAnswer(frame);
      if ((await answer.innerText()).includes('⟨U+202E⟩')) sawBidi = true;
      const [n, asked] = await clickEveryLink(ui, w, answer, `answer ${i + 1}`);
      links += n;
      modals += asked;
      ui.log(`answer ${i + 1}: ${dom.elements} elements, ${n} links clicked, nothing opened`);
    }
    if (!sawBidi) throw new Error('the bidi-spoofed link text was not shown with its control characters revealed');
    ui.log(`${vectors.length} vectors, ${links} links clicked, ${modals} confirmations cancelled, nothing opened or fetched`);
    await ui.shot('21-hostile-chat');

    // The keyboard: Enter on a focused web link asks the same question.
    sim.setOptions({ answerText: `A real guideline: [the guideline](${evil}/consented) and [a command](command:workbench.action.terminal.new).` });
    await ask(frame, 'And the guideline?');
    await answerDone(frame);
    const good = lastAnswer(frame).getByRole('link', { name: 'the guideline' });
    await good.focus();
    await good.press('Enter');
    const shown = await cancelLinkModal(page);
    if (!shown.includes('/__evil/consented')) throw new Error(`the modal does not show the real destination: ${shown}`);
    await page.waitForTimeout(1000);
    w.assertQuiet('after Enter and Cancel');

    // Consent: only "Open" opens it, in a new browser tab.
    await good.click();
    const modal = page.locator('.monaco-dialog-box', { hasText: /Open this link/ });
    await modal.waitFor();
    await ui.shot('21-hostile-chat-consent');
    await modal.getByRole('button', { name: 'Open', exact: true }).click();
    // VS Code may ask once more about an external website (its own link protection).
    const again = page.locator('.monaco-dialog-box', { hasText: /external website/i });
    if (await again.waitFor({ timeout: 3000 }).then(() => true, () => false)) await again.getByRole('button', { name: /^Open$/ }).click();
    await ui.wb.until('the consented link to open', () => w.opened.length > 0 || w.hits().includes('/__evil/consented'), 15_000);
    ui.log(`after Open: ${w.opened.length} page(s) opened, hits ${JSON.stringify(w.hits())}`);
    if (w.hits().some((h) => h !== '/__evil/consented')) throw new Error(`something else was fetched: ${w.hits()}`);
  } finally {
    w.stop();
    sim.setOptions({ answerText: undefined, tokensPerSecond: 150 });
  }
}
