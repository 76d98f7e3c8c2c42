// The privacy gate as a user meets it: the status bar says what happens to identifiers; Choose
// Privacy Mode switches to "warn"; Summarize Note then asks in a modal dialog with counts by
// type, and "Send Pseudonymized" sends stand-ins while the summary shows the real names;
// Preview What Will Be Sent shows the note beside the text as sent; Show Audit Log opens the
// log, one line per request and no text; Cancel at the question sends nothing and says so.
import { summaryText, waitForSummary } from './summary.mjs';

export const name = 'privacy: status bar, choose mode, warn dialog, preview, audit log';

const chatBodies = (sim) => sim.requests.filter((r) => r.path.endsWith('/chat/completions')).map((r) => JSON.stringify(r.body?.messages ?? ''));

async function chooseMode(ui, label) {
  const { page, wb } = ui;
  await wb.runCommand(page, 'MedGemma: Choose Privacy Mode');
  const row = page.locator(wb.sel.quickRow).filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) }).first();
  await row.click();
}

export async function run(ui) {
  const { page, wb, sim } = ui;
  // The simulator is on this machine: "auto" sends as written, and the status bar says so.
  await wb.statusItem(page, 'PHI: sent as written').waitFor({ timeout: 20_000 });

  await chooseMode(ui, 'Warn');
  await wb.statusItem(page, 'PHI: ask first').waitFor({ timeout: 10_000 });
  const dialog = page.locator('.monaco-dialog-box');
  try {
    await wb.openFile(page, 'note.txt');
    const before = chatBodies(sim).length;
    await wb.runCommand(page, 'MedGemma: Summarize Note');
    await dialog.waitFor({ timeout: 30_000 });
    const said = (await dialog.innerText()).replace(/\s+/g, ' ');
    ui.log(`dialog: ${said.slice(0, 220)}`);
    if (!/The note holds \d+ dates?, \d+ names? and 1 MRN\. Send it to http:\/\/127\.0\.0\.1:\d+\?/.test(said)) throw new Error(`the dialog does not say what was found and where it goes: ${said}`);
    if (/Abernathy|Okonjo/.test(said)) throw new Error('the dialog shows an identifier');
    if (chatBodies(sim).length !== before) throw new Error('a request left before the user answered');
    await ui.shot('31-warn-dialog');
    await dialog.getByRole('button', { name: 'Send Pseudonymized' }).click();
    await waitForSummary(ui);
    const sent = chatBodies(sim).slice(before);
    if (!sent.length) throw new Error('nothing was sent after "Send Pseudonymized"');
    for (const id of ['Abernathy', 'Okonjo-Reyes', '31-774-0528', '10/15/2024']) if (sent.some((b) => b.includes(id))) throw new Error(`${id} reached the server`);
    // The summary reads with the real name (its header names the note; the statements quote it).
    await page.keyboard.press('Control+Home');
    const top = await summaryText(page);
    ui.log(`summary starts: ${JSON.stringify(top.split('\n').slice(0, 6))}`);

    // Preview: the note beside what the server would receive (one group, so side by side).
    await wb.closeAllEditors(page);
    await wb.openFile(page, 'note.txt');
    await wb.clearNotifications(page);
    await wb.runCommand(page, 'MedGemma: Preview What Will Be Sent');
    const toast = await wb.waitForToast(page, /In "warn" mode MedGemma asks before sending them/);
    const toastText = (await toast.innerText()).replace(/\s+/g, ' ');
    ui.log(`preview says: ${toastText.slice(0, 200)}`);
    await page.locator('.tab.active', { hasText: 'as sent (warn)' }).waitFor({ timeout: 10_000 });
    const right = await page.locator('.editor-group-container.active .monaco-diff-editor .editor.modified .view-lines').first().innerText();
    const left = await page.locator('.editor-group-container.active .monaco-diff-editor .editor.original .view-lines').first().innerText();
    if (!/Abernathy/.test(left)) throw new Error(`the original side does not show the note: ${left.slice(0, 200)}`);
    if (/Abernathy/.test(right) || !/Patient: \S+ \S\. \S+/.test(right.replace(/\u00a0/g, ' '))) throw new Error(`the "as sent" side does not show a stand-in name: ${right.slice(0, 300)}`);
    await ui.shot('31-preview');

    // The audit log: the summary's request, in warn mode, pseudonymized, counts and no text.
    await wb.runCommand(page, 'MedGemma: Show Audit Log');
    await page.locator('.tab.active', { hasText: 'audit.jsonl' }).waitFor({ timeout: 10_000 });
    // Earlier scenarios wrote their own lines: the summary's is the last one, at the end of the file.
    await wb.focusActiveEditor(page);
    await page.keyboard.press('Control+End');
    const log = await wb.until('the warn-mode line on screen', async () => {
      const t = (await wb.activeEditorText(page)).replace(/\u00a0/g, ' ');
      return /"mode":"warn"/.test(t) && t;
    }, 10_000).catch(async () => (await wb.activeEditorText(page)).replace(/\u00a0/g, ' '));
    if (!/"feature":"summary","server":"http:\/\/127\.0\.0\.1:\d+","model":"[^"]+","mode":"warn","action":"pseudonymized","identifiers":\{[^}]*"NAME":\d+/.test(log.replace(/\s+/g, ''))) throw new Error(`the audit log does not hold the summary's line: ${log.slice(-600)}`);
    if (/Abernathy|Okonjo/.test(log)) throw new Error('the audit log holds an identifier');
    await ui.shot('31-audit-log');

    // Cancel at the question: nothing leaves, and the user is told so (not as an error).
    await wb.closeAllEditors(page);
    await wb.openFile(page, 'note.txt');
    await wb.clearNotifications(page);
    const beforeCancel = chatBodies(sim).length;
    await wb.runCommand(page, 'MedGemma: Summarize Note');
    await dialog.waitFor({ timeout: 30_000 });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await wb.waitForToast(page, /Nothing was sent to http:\/\/127\.0\.0\.1:\d+: you chose not to send the text with its identifiers/);
    if (chatBodies(sim).length !== beforeCancel) throw new Error('a request left after Cancel');
    await ui.shot('31-cancelled');
  } finally {
    await chooseMode(ui, 'Auto').catch(() => {});
  }
  await wb.statusItem(page, 'PHI: sent as written').waitFor({ timeout: 10_000 });
}
