// Driving VS Code's workbench in Chromium the way a user does: palette, quick open, context
// menu, notifications, status bar. Selectors are VS Code 1.100's (code-server 4.100.3).

export const isMac = process.platform === 'darwin';
export const MOD = isMac ? 'Meta' : 'Control';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export const sel = {
  workbench: '.monaco-workbench',
  quickInput: '.quick-input-widget',
  quickInputBox: '.quick-input-widget .quick-input-box input',
  quickRow: '.quick-input-widget .quick-input-list .monaco-list-row',
  toast: '.notifications-toasts .notification-toast',
  statusItem: '#workbench\\.parts\\.statusbar .statusbar-item',
  selectionStatus: '#status\\.editor\\.selection',
  activeTab: '.tabs-container .tab.active',
  contextMenuItem: '.context-view .monaco-menu .action-item',
  activeEditorLines: '.editor-group-container.active .monaco-editor .view-lines',
};

/** Waits until the workbench is up and the explorer shows the workspace. */
export async function waitForWorkbench(page, timeout = 90_000) {
  await page.locator(sel.workbench).waitFor({ timeout });
  await page.locator('#workbench\\.parts\\.statusbar').waitFor({ timeout });
}

async function closeQuickInput(page) {
  if (await page.locator(sel.quickInput).isVisible()) await page.keyboard.press('Escape');
}

/**
 * Runs a command from the palette (F1) by its title, e.g. "MedGemma: Summarize Note".
 * Contributed commands show up only after the extension host has scanned the extension,
 * and an open palette does not refresh: retry until the row appears.
 */
export async function runCommand(page, title, { timeout = 60_000 } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    await closeQuickInput(page);
    await pressF1(page);
    const input = page.locator(sel.quickInputBox);
    const row = page.locator(sel.quickRow).filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRe(title)}$`) }) }).first();
    try {
      // The palette can close under us (a window still restoring after a reload takes the
      // focus back): then open it again rather than wait on an input that is gone.
      await input.fill(`>${title}`, { timeout: 5000 });
      await row.waitFor({ timeout: 3000 });
      // The row itself, not Enter: Enter runs the highlighted row, which may be another command
      // whose title contains this one ("File: Compare New Untitled Text Files").
      await row.click({ timeout: 3000 });
      return;
    } catch (e) {
      if (Date.now() > end) throw new Error(`command "${title}" never appeared in the palette: ${e.message}`, { cause: e });
      await page.keyboard.press('Escape');
      await sleep(500);
    }
  }
}

/**
 * Opens the quick input with F1. A focused webview (the chat's question box, the annotator)
 * does not always pass F1 on to the workbench; then the title bar's command center opens it,
 * as a mouse user would.
 */
async function pressF1(page) {
  const input = page.locator(sel.quickInputBox);
  await page.keyboard.press('F1');
  if (await input.waitFor({ state: 'visible', timeout: 3000 }).then(() => true, () => false)) return;
  await page.locator('.command-center-center').first().click();
  await input.waitFor({ state: 'visible' });
}

/**
 * Ctrl/Cmd+click at a point, as a user opens an editor link. (Playwright's locator.click
 * fights the link hover that pops up, so the click goes by coordinates.)
 */
export async function modClick(page, x, y) {
  await page.mouse.move(x, y);
  await page.keyboard.down(MOD);
  await page.mouse.click(x, y);
  await page.keyboard.up(MOD);
}

/** Opens a workspace file through Quick Open (what Ctrl+P does) and waits for its tab. */
export async function openFile(page, name) {
  const input = page.locator(sel.quickInputBox);
  // A webview taking focus right then (the chat after New Chat) can close the box as it opens:
  // open it again, as a user would (at most three times).
  for (let attempt = 1; ; attempt++) {
    await closeQuickInput(page);
    await pressF1(page);
    await input.waitFor({ state: 'visible' });
    try {
      await input.fill(name, { timeout: 5_000 }); // no '>' prefix: the file picker
      break;
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
  await page.locator(sel.quickRow, { hasText: name }).first().waitFor({ timeout: 20_000 });
  await page.keyboard.press('Enter');
  await page.locator(sel.activeTab, { hasText: name }).first().waitFor();
  await focusActiveEditor(page);
}

export async function focusActiveEditor(page) {
  await page.locator(`${sel.activeEditorLines}`).first().click({ position: { x: 5, y: 5 } }).catch(() => {});
}

/**
 * Go to Line (Ctrl+G), then Shift+Down and Shift+End: lines from..to, whole lines. Keys typed
 * while the quick input is still closing can land nowhere, so the selection is confirmed from
 * the status bar ("Ln 14, Col 40 (120 selected)") and made again if it is not there.
 */
export async function selectLines(page, from, to) {
  const input = page.locator(sel.quickInputBox);
  for (let attempt = 1; ; attempt++) {
    await closeQuickInput(page);
    await focusActiveEditor(page);
    await page.keyboard.press('Control+G');
    await input.waitFor({ state: 'visible' });
    await input.fill(`:${from}`);
    await page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden' }).catch(() => {});
    await page.keyboard.press('Home');
    for (let i = from; i < to; i++) await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+End');
    const want = new RegExp(`Ln ${to},.*selected`);
    const end = Date.now() + 3000;
    while (Date.now() < end) {
      if (want.test(await cursorStatus(page))) return;
      await sleep(100);
    }
    if (attempt === 3) throw new Error(`lines ${from}-${to} could not be selected; the status bar says "${await cursorStatus(page)}"`);
  }
}

/** The status bar's "Ln X, Col Y" / "Ln X, Col Y (N selected)" text of the active editor. */
export async function cursorStatus(page) {
  const item = page.locator(sel.selectionStatus);
  return (await item.isVisible()) ? (await item.innerText()).trim() : '';
}

/** A toast (notification) whose text matches; returns its locator once visible. */
export async function waitForToast(page, text, timeout = 30_000) {
  const toast = page.locator(sel.toast).filter({ hasText: text }).first();
  await toast.waitFor({ timeout });
  return toast;
}

export async function toastTexts(page) {
  return page.locator(sel.toast).allInnerTexts();
}

export async function clearNotifications(page) {
  await closeQuickInput(page);
  // "Notifications: Clear All Notifications"; works whether or not a toast has focus.
  const toasts = page.locator(sel.toast);
  if ((await toasts.count()) === 0) return;
  await runCommand(page, 'Notifications: Clear All Notifications', { timeout: 10_000 });
  await toasts.first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => {});
}

/** A status bar entry whose text matches. */
export function statusItem(page, text) {
  return page.locator(sel.statusItem).filter({ hasText: text }).first();
}

/** Text of the active editor's rendered lines (only what is on screen: Monaco virtualizes). */
export async function activeEditorText(page) {
  return (await page.locator(sel.activeEditorLines).first().innerText()).replace(/\u00a0/g, ' ');
}

/** Polls fn until it returns a truthy value. */
export async function until(what, fn, timeout = 30_000, interval = 200) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}${last instanceof Error ? ` (${last.message})` : ''}`);
    await sleep(interval);
  }
}

export function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Closes every editor. Unsaved untitled documents (a chat answer opened in the editor) make
 * VS Code ask whether to save: answer "Don't Save".
 */
export async function closeAllEditors(page) {
  await runCommand(page, 'View: Close All Editors', { timeout: 10_000 });
  const dialog = page.locator('.monaco-dialog-box');
  // A save question can come a while after the command on a busy machine: answer each one
  // until no editor tab is left.
  await until('every editor to close', async () => {
    if (await dialog.isVisible().catch(() => false)) {
      await dialog.getByRole('button', { name: /Don't Save/ }).click({ timeout: 2000 }).catch(() => {});
      return false;
    }
    return (await page.locator('.editor-group-container .tabs-container .tab').count()) === 0;
  }, 20_000, 250);
}

/**
 * Waits until one of the page's frames passes `test` (returns a value), newest frame first.
 * With several webviews open (the chat in the sidebar, a viewer in the editor),
 * `iframe.webview.ready` alone matches the first one, which may be the wrong webview.
 */
export async function inSomeFrame(page, what, test, timeout = 60_000) {
  return until(what, async () => {
    for (const f of [...page.frames()].reverse()) {
      if (f.isDetached()) continue;
      const v = await test(f).catch(() => undefined);
      if (v) return { frame: f, value: v };
    }
    return undefined;
  }, timeout, 300);
}

/** The Explorer's row of `fileName` (a file in the workspace root), refreshing the Explorer once if it missed the file. */
export async function explorerRow(page, fileName) {
  await runCommand(page, 'View: Show Explorer');
  const row = page.locator('.explorer-folders-view').getByRole('treeitem', { name: fileName, exact: true });
  if (!(await row.waitFor({ timeout: 5_000 }).then(() => true, () => false))) {
    await refreshExplorer(page);
    await row.waitFor({ timeout: 30_000 });
  }
  return row;
}

/** Explorer -> right-click `fileName` -> the context-menu item matching `item`. */
export async function explorerContextCommand(page, fileName, item) {
  const row = await explorerRow(page, fileName);
  await row.click({ button: 'right' });
  const entry = page.locator(sel.contextMenuItem).filter({ hasText: item }).first();
  await entry.waitFor({ timeout: 10_000 });
  // A context menu ignores a click that comes right after it opens: click until it closes.
  await until('the context menu to run the command', async () => {
    if (await entry.isVisible()) await entry.click({ timeout: 2000 }).catch(() => {});
    return !(await entry.isVisible());
  }, 10_000, 300);
}

/**
 * Explorer: Refresh. The newest code-server's Explorer does not always notice a file a test
 * wrote into the workspace from outside (no file event arrives here); a user would refresh too.
 */
export async function refreshExplorer(page) {
  await runCommand(page, 'View: Show Explorer');
  const header = page.locator('.pane', { has: page.locator('.explorer-folders-view') }).locator('.pane-header').first();
  await header.hover();
  await header.locator('.action-label[aria-label^="Refresh Explorer"]').click();
}
