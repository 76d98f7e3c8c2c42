// An encrypted PDF: attaching it asks for the password (a wrong one is said to be wrong,
// then the right one indexes it). Then Search Papers ranks passages without the server and
// opens the chosen one in the viewer.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../e2e/codeserver.mjs';

export const name = 'attach an encrypted paper with its password, search papers, open a hit';

const SOURCE = join(ROOT, 'test', 'fixtures', 'pdfs', 'datta2010-dvt-complications-review.pdf');
const LOCKED = 'locked-datta.pdf';

function hasQpdf() {
  try {
    execFileSync('qpdf', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function skip() {
  if (!existsSync(SOURCE)) return `${SOURCE} is absent`;
  if (!hasQpdf()) return 'qpdf is not installed (apt-get install qpdf)';
  return undefined;
}

export async function run(ui) {
  const { page, wb } = ui;
  execFileSync('qpdf', ['--encrypt', 'secret', 'owner-secret', '256', '--', SOURCE, join(ui.folder, LOCKED)]);

  await wb.explorerContextCommand(page, LOCKED, /MedGemma: Attach to Papers/);

  const input = page.locator(wb.sel.quickInputBox);
  const prompt = page.locator(wb.sel.quickInput);
  await prompt.filter({ hasText: `${LOCKED} is encrypted` }).waitFor({ timeout: 30_000 });
  if ((await input.getAttribute('type')) !== 'password') throw new Error('the password box does not mask what is typed');
  await input.fill('wrong');
  await page.keyboard.press('Enter');
  await prompt.filter({ hasText: 'That password is wrong' }).waitFor({ timeout: 30_000 });
  await ui.shot('12-papers-wrong-password');
  await input.fill('secret');
  await page.keyboard.press('Enter');

  await wb.runCommand(page, 'MedGemma: Focus on Papers View');
  const paper = page.locator('.pane', { hasText: 'Papers' }).locator('.monaco-list-row', { hasText: 'Datta' }).first();
  await paper.waitFor({ timeout: 60_000 });
  ui.log(`Papers view: "${(await paper.innerText()).replace(/\s+/g, ' ').trim()}"`);

  // Search with the server stopped: it must not matter.
  await ui.stopSim();
  await wb.runCommand(page, 'MedGemma: Search Papers');
  await input.waitFor({ state: 'visible' });
  await input.fill('bleeding complications of thromboprophylaxis');
  await page.keyboard.press('Enter');
  const hit = page.locator(wb.sel.quickRow, { hasText: /Datta/ }).first();
  await hit.waitFor({ timeout: 30_000 });
  const label = (await hit.innerText()).replace(/\s+/g, ' ').trim();
  ui.log(`first hit: "${label.slice(0, 140)}"`);
  await ui.shot('12-papers-search');
  const m = /pp?\. (\d+)(?:–(\d+))?/.exec(label);
  const [first, last] = m ? [Number(m[1]), Number(m[2] ?? m[1])] : [1, 4];
  await page.keyboard.press('Enter');
  const { value: status } = await wb.inSomeFrame(page, 'the viewer at the hit\'s page', async (f) => {
    const s = await f.locator('#status').innerText({ timeout: 1000 });
    const at = /^Page (\d+) of 4 · cited passage highlighted/.exec(s);
    return at && Number(at[1]) >= first && Number(at[1]) <= last && s;
  }, 45_000);
  ui.log(`viewer: "${status}"`);
  await page.waitForTimeout(500);
  await ui.shot('12-papers-search-viewer');
}
