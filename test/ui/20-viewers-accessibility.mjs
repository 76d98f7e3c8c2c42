// axe-core over the paper viewer and the image annotator (a11y.mjs): a paper opened from the
// Papers view, and the CT the annotator scenario annotated, with its annotation list.
import { audit } from './a11y.mjs';
import { openInAnnotator, skip as skipImages } from './08-image-annotator.mjs';
import { skip as skipPapers } from './09-papers.mjs';

export const name = 'paper viewer and image annotator: no serious accessibility violations (axe-core)';

// Runs after the 07 scenarios (they attach the paper and annotate the CT), so it needs their fixtures.
export function skip() {
  return skipPapers() ?? skipImages();
}

export async function run(ui) {
  const { page, wb } = ui;

  // The paper attached by 09-papers: open it from the Papers view.
  await wb.runCommand(page, 'MedGemma: Focus on Papers View');
  const paper = page.locator('.pane', { hasText: 'Papers' }).locator('.monaco-list-row', { hasText: 'Tully 2010' }).first();
  await paper.waitFor({ timeout: 30_000 });
  await paper.click();
  const { frame: viewer } = await wb.inSomeFrame(page, 'the paper viewer to show page 1', async (f) => /Page 1 of 6/.test(await f.locator('#status').innerText({ timeout: 1000 })), 45_000);
  await audit(ui, viewer, 'paper viewer');
  await wb.closeAllEditors(page);

  // The CT from 08-image-annotator, with the annotations it saved.
  await openInAnnotator(ui, 'ct.dcm');
  const { frame: annotator } = await wb.inSomeFrame(page, 'the annotator page', async (f) => (await f.locator('body[data-ready="true"] #view').count()) > 0, 45_000);
  await audit(ui, annotator, 'image annotator');
  await ui.shot('20-annotator-audited');
  await wb.closeAllEditors(page);
}
