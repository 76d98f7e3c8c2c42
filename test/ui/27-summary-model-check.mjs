// "medgemma.summary.verify": "rules+model" (set in the workspace's settings, which may choose
// it): Summarize Note -> the progress notification counts the model check -> the summary marks
// the statement the model rejected, with the words at fault, and its footer says how many
// statements the model checked and what it cost.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { summaryText, waitForSummary } from './summary.mjs';

export const name = 'summary checked statement by statement by the model';

export async function run(ui) {
  const { page, wb, sim } = ui;
  const settingsFile = join(ui.folder, '.vscode', 'settings.json');
  const original = readFileSync(settingsFile, 'utf8');
  writeFileSync(settingsFile, JSON.stringify({ ...JSON.parse(original), 'medgemma.summary.verify': 'rules+model' }, null, 2));
  // Note lines 13 and 14 (progress-soap-diabetes.txt): the second statement adds "well
  // tolerated", which line 14 does not say; both pass the rules, the simulator's verifier
  // rejects the second. Slow answers leave time to read the progress.
  sim.setOptions({ answerText: '- Lisinopril 20 mg PO daily [L13]\n- Atorvastatin 20 mg PO daily, well tolerated [L14]\n', ttftMs: 3000 });
  try {
    await page.waitForTimeout(1000); // the settings file is read on change
    await wb.openFile(page, 'note.txt');
    const before = sim.requests.length;
    await wb.runCommand(page, 'MedGemma: Summarize Note');
    await wb.waitForToast(page, /checking with the model: \d+ of 2 statements/, 30_000);
    // Meanwhile the summary shows its rule checks and says the model check is running.
    await wb.until('the rule-checked summary while the model checks', async () => /The model is checking the statements that passed/.test((await summaryText(page)).replace(/\s+/g, ' ')), 10_000);
    await ui.shot('27-model-check-progress');
    const text = await waitForSummary(ui);
    const checks = sim.requests.slice(before).filter((r) => JSON.stringify(r.body ?? '').includes('statement_verdict'));
    if (checks.length !== 2) throw new Error(`${checks.length} statement checks reached the server, not 2`);
    const all = await summaryText(page);
    ui.log(`summary ends: ${JSON.stringify(all.trim().split('\n').slice(-6))}`);
    const flat = `${text}\n${all}`.replace(/\s+/g, ' ');
    if (!/well tolerated \[L14\] ⚠ \*unsupported: model: not in the cited lines \("tolerated"\)\*/.test(flat)) {
      throw new Error('the statement the model rejected is not marked with its reason');
    }
    if (!/The model checked 2 of the 2 statements the rules passed and flagged 1 \(2 requests, [\d,]+ tokens\)/.test(flat)) {
      throw new Error('the footer does not give the model check and its cost');
    }
    await ui.shot('27-model-check');
  } finally {
    writeFileSync(settingsFile, original);
    sim.setOptions({ answerText: undefined, ttftMs: 0 });
  }
}
