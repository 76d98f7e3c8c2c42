// Helpers shared by the chat UI scenarios (not a scenario itself: no leading number).

/** Opens the chat (MedGemma: Focus Chat) and returns its webview's inner frame. */
export async function openChat(ui, { timeout = 60_000 } = {}) {
  const { page, wb } = ui;
  await wb.runCommand(page, 'MedGemma: Focus Chat');
  return chatFrame(ui, timeout);
}

/** The frame of the chat webview: the one whose document has the question box. */
export async function chatFrame(ui, timeout = 60_000) {
  const { page, wb } = ui;
  return wb.until('the chat webview', async () => {
    for (const f of page.frames()) {
      if (f.isDetached()) continue;
      const has = await f.evaluate(() => !!document.querySelector('#question') && !!document.querySelector('main.messages')).catch(() => false);
      if (has) return f;
    }
    return undefined;
  }, timeout, 300);
}

/** Types a question and presses Enter, like a user. */
export async function ask(frame, text) {
  const box = frame.locator('#question');
  await box.click();
  await box.fill(text);
  await box.press('Enter');
}

/** The last answer's article element. */
export function lastAnswer(frame) {
  return frame.locator('article.turn.assistant').last();
}

/** Waits until no answer streams any more. */
export async function answerDone(frame, timeout = 60_000) {
  await frame.locator('article.turn.assistant.streaming').waitFor({ state: 'detached', timeout });
}

export const chatRequests = (sim) => sim.requests.filter((r) => r.path.endsWith('/chat/completions'));

/** Clicks one of the chat view's title actions ("New Chat", "Chat History"), as a user would. */
export async function titleAction(ui, label) {
  const { page } = ui;
  const header = page.locator('.pane-header', { hasText: /^\s*chat\b/i }).first();
  await header.hover();
  await header.locator(`.action-label[aria-label^="${label}"]`).click();
}

/** New Chat from the view's title bar; resolves when the view shows the empty conversation. */
export async function newChat(ui, frame) {
  await titleAction(ui, 'New Chat');
  await frame.locator('main.messages .empty').waitFor({ timeout: 10_000 });
}

/**
 * The conversation list is what scrolls (never the page around it) and it shows the end of the
 * last answer: a reader who did not scroll up sees how the answer ended (or that it was stopped).
 */
export async function assertShowsEnd(ui, frame, what) {
  const m = await frame.evaluate(() => {
    const list = document.querySelector('main.messages');
    const page = document.scrollingElement;
    const answers = list.querySelectorAll('article.turn.assistant');
    const last = answers[answers.length - 1];
    const l = list.getBoundingClientRect();
    const a = last?.getBoundingClientRect();
    return {
      pageOverflow: page.scrollHeight - page.clientHeight,
      listOverflow: list.scrollHeight - list.clientHeight,
      endBelowList: a ? Math.round(a.bottom - l.bottom) : 0,
    };
  });
  ui.log(`${what}: list overflows by ${m.listOverflow} px, page by ${m.pageOverflow} px; answer end ${m.endBelowList} px below the list's bottom`);
  if (m.pageOverflow > 1) throw new Error(`${what}: the chat page itself scrolls (${m.pageOverflow} px), so the conversation list cannot keep the answer's end in view`);
  if (m.endBelowList > 40) throw new Error(`${what}: the end of the answer is ${m.endBelowList} px below the visible part of the conversation`);
}
