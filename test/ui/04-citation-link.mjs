// Ctrl/Cmd+click a citation like [L12] in the summary -> the note shows those lines selected,
// from their start. A cited line wider than the note's editor (which does not wrap) brings an
// offer to wrap the note's long lines; accepted, every line of the note fits.
import { summaryGroup, waitForSummary } from './summary.mjs';

export const name = 'a citation link reveals the cited note lines';

/** How far (px) the widest rendered line of the group's editor reaches past its right edge, and how far its first one starts left of it. */
async function overflow(group) {
  return group.locator('.monaco-editor').first().evaluate((ed) => {
    const box = (ed.querySelector('.monaco-scrollable-element.editor-scrollable') ?? ed).getBoundingClientRect();
    let right = -Infinity;
    let left = Infinity;
    for (const line of ed.querySelectorAll('.view-lines .view-line > span')) {
      const r = line.getBoundingClientRect();
      if (r.bottom < box.top || r.top > box.bottom || !r.width) continue;
      right = Math.max(right, r.right - box.right);
      left = Math.min(left, r.left - box.left);
    }
    return { right: Math.round(right), left: Math.round(left) };
  });
}

export async function run(ui) {
  const { page, wb } = ui;
  await wb.openFile(page, 'note.txt');
  await wb.runCommand(page, 'MedGemma: Summarize Note');
  await waitForSummary(ui);
  // Back to the top, where the first statements are.
  await summaryGroup(page).locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+Home');
  // Document links are drawn as .detected-link once the provider has answered. Monaco reuses
  // its line elements, so their order in the page is not the order on screen: the link clicked
  // is the topmost one in view, and its text and place are read together, at each attempt.
  const topLink = () => summaryGroup(page).locator('.monaco-editor').first().evaluate((ed) => {
    const view = ed.getBoundingClientRect();
    const found = [...ed.querySelectorAll('.detected-link')]
      .map((el) => ({ text: (el.textContent ?? '').trim(), r: el.getBoundingClientRect() }))
      .filter(({ text, r }) => /^\[?L\d+/.test(text) && r.width > 0 && r.top >= view.top && r.bottom <= view.bottom)
      .sort((a, b) => a.r.top - b.r.top || a.r.left - b.r.left)[0];
    return found && { text: found.text, x: found.r.x + found.r.width / 2, y: found.r.y + found.r.height / 2 };
  });
  let target = await wb.until('a citation link on screen', topLink, 15_000);
  // Monaco opens a link on a modifier+click. The underline can be redrawn (and its element
  // replaced) while the link detector settles, and a click that lands in that moment opens
  // nothing: a user clicks again, and so does the test, at most three times. What the status
  // bar showed each time goes into the error, so a cursor on the wrong line or column reads as such.
  const seen = [];
  let status;
  let text;
  let first;
  let last;
  for (let attempt = 1; !status && attempt <= 3; attempt++) {
    if (attempt > 1) target = await wb.until('a citation link on screen', topLink, 10_000);
    text = target.text;
    const m = /L(\d+)(?:\s*[-–]\s*L?(\d+))?/.exec(text);
    first = Number(m[1]);
    last = Number(m[2] ?? m[1]);
    ui.log(`clicking citation ${text} with ${wb.MOD}`);
    await wb.modClick(page, target.x, target.y);
    // The cursor goes to the start of the first cited line, so a long line is shown from its start.
    const want = new RegExp(`^Ln ${first}, Col 1 \\(`);
    status = await wb.until(`the note's cursor at the start of line ${first}`, async () => {
      const s = await wb.cursorStatus(page);
      if (seen.at(-1) !== s) seen.push(s);
      return want.test(s) && s;
    }, 6_000).catch(() => undefined);
    if (!status) ui.log(`click ${attempt} on ${text}: the cursor is not at the start of line ${first} yet`);
  }
  if (!status) throw new Error(`three clicks on ${text} did not put the note's cursor at the start of line ${first}; the status bar showed: ${seen.join(' | ')}`);
  const active = ((await page.locator(wb.sel.activeTab).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
  ui.log(`status bar after the click: "${status}", active tab: ${active}`);
  if (!active.includes('note.txt')) throw new Error(`the active editor is "${active}", not the note`);
  const note = page.locator('.editor-group-container').first();
  const before = await overflow(note);
  ui.log(`note lines: start ${before.left} px from the left edge, widest reaches ${before.right} px past the right edge`);
  if (before.left < 0) throw new Error(`the note is scrolled sideways: lines start ${-before.left} px left of the editor`);

  const longest = Math.max(...ui.noteText.split('\n').slice(first - 1, last).map((l) => l.length));
  if (longest <= 80) {
    await ui.shot('04-citation-link');
    return;
  }
  // Longer than the editor's wrap column: the offer to wrap, once.
  const offer = await wb.waitForToast(page, new RegExp(`Line \\d+ of note\\.txt is longer than the editor shows`), 10_000);
  ui.log(`offer: "${(await offer.innerText()).replace(/\s+/g, ' ').trim()}"`);
  await page.waitForTimeout(500); // the toast slides in
  await ui.shot('04-citation-link');
  await offer.getByRole('button', { name: 'Wrap Long Lines' }).click();
  const after = await wb.until('every line of the note to fit the editor', async () => {
    const o = await overflow(note);
    return o.right <= 1 && o;
  }, 10_000);
  ui.log(`after wrapping: widest line ends ${-after.right} px inside the right edge`);
  await ui.shot('04-citation-wrapped');
  // Back as it was (the wrap is the note's only until it closes; Alt+Z is the same toggle).
  await note.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Alt+Z');
}
