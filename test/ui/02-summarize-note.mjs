// F1 -> "MedGemma: Summarize Note" on the open note -> the summary streams in beside it.
import { waitForSummary } from './summary.mjs';

export const name = 'summarize the open note from the command palette';

export async function run(ui) {
  const { page, wb, sim } = ui;
  await wb.openFile(page, 'note.txt');
  const before = sim.requests.length;
  await wb.runCommand(page, 'MedGemma: Summarize Note');
  const text = await waitForSummary(ui);
  ui.log(`summary ends: ${JSON.stringify(text.trim().split('\n').slice(-2))}`);
  if (!sim.requests.slice(before).some((r) => /chat\/completions/.test(r.path ?? r.url ?? ''))) {
    throw new Error('the simulator received no chat completion request');
  }
  await ui.shot('02-summarize-note');
}
