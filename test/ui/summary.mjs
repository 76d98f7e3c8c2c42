// Helpers shared by the UI scenarios (not a scenario itself: no leading number).

/** A statement of a summary: a bullet that ends with note-line citations like [L12] or [L3-L5]. */
export const CITED_STATEMENT_RE = /^\s*[-*] .+\[L\d+(?:\s*[-–]\s*L?\d+)?\]\s*$/m;
/** The closing line every summary ends with (the extension's disclaimer). */
export const DISCLAIMER_RE = /verify|check (it|them|each|every)|generated|not a substitute|clinical judg/i;

/** The editor group the summary opened in: beside the note, so the last group. */
export function summaryGroup(page) {
  return page.locator('.editor-group-container').last();
}

export async function summaryText(page) {
  const lines = summaryGroup(page).locator('.monaco-editor .view-lines').first();
  return (await lines.innerText()).replace(/\u00a0/g, ' ');
}

/**
 * Waits for a summary to stream into the editor beside the note: first a cited statement,
 * then the closing disclaimer (scrolling to the end like a user would).
 * @returns the visible text at the end
 */
export async function waitForSummary(ui, { timeout = 60_000 } = {}) {
  const { page, wb } = ui;
  await page.locator('.editor-group-container').nth(1).waitFor({ timeout });
  const tab = summaryGroup(page).locator('.tab.active');
  await tab.waitFor();
  const first = await wb.until('a cited statement in the summary', async () => {
    const t = await summaryText(page);
    return CITED_STATEMENT_RE.test(t) && t;
  }, timeout);
  ui.log(`first cited statement visible (${first.split('\n').length} lines on screen)`);
  // Wait for the end: the progress notification goes away and the disclaimer is written.
  return wb.until('the closing disclaimer', async () => {
    await summaryGroup(page).locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    const t = await summaryText(page);
    return DISCLAIMER_RE.test(t.trim().split('\n').slice(-3).join('\n')) && t;
  }, timeout, 500);
}
