// Hostile model output in the image annotator: answers are rendered markdown (a heading and a
// list render as such, not as literal "##" and "-"), sanitised by the chat's renderer: nothing
// runs, nothing is fetched, no element keeps an href or a handler, long tokens wrap, and every
// link is clicked: web links ask first, the rest is text.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../e2e/codeserver.mjs';
import { serveVision } from './08-image-annotator.mjs';
import { answers, clickEveryLink, refreshExplorer, uiVectors, unsafeDom, watch } from './hostile.mjs';

export const name = 'image annotator: hostile answers render as safe markdown; links ask first';

const IMAGE = 'hostile-xray.png';

async function writeImage(file) {
  const { tsImport } = await import('tsx/esm/api');
  const { encodePng } = await tsImport(pathToFileURL(join(ROOT, 'src', 'core', 'images', 'png-encode.ts')).href, import.meta.url);
  const side = 128;
  const px = new Uint8Array(side * side);
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) px[y * side + x] = (x * 2 + y) & 255;
  writeFileSync(file, encodePng(side, side, px, 1));
}

export async function run(ui) {
  const { page, sim, wb } = ui;
  const evil = `${sim.url}/__evil`;
  const w = watch(ui);
  serveVision(ui);
  sim.setOptions({ tokensPerSecond: 0 });
  try {
    await writeImage(join(ui.folder, IMAGE));
    // A PNG opens in VS Code's own viewer by default: the explorer's "MedGemma: Annotate Image".
    await refreshExplorer(ui);
    await wb.explorerContextCommand(page, IMAGE, /MedGemma: Annotate Image/);
    // (The chat's webview may be open too: find the annotator's page among the frames.)
    const { frame: p } = await wb.inSomeFrame(page, 'the annotator page', async (f) => (await f.locator('body[data-ready="true"] #ask').count()) > 0);
    const frame = p;
    const vectors = uiVectors(evil).filter((v) => /\/(command-terminal|https-evil|file|javascript|data-html)\/plain$|^html-/.test(v.name));
    const batches = answers(vectors, 60);
    let links = 0;
    for (const [i, batch] of batches.entries()) {
      const long = `A long token: ${'x'.repeat(400)}`;
      sim.setOptions({ answerText: `## Findings\n\n- Cardiomegaly\n- ${long}\n\n${batch}` });
      const before = await p.locator('#image-answers .answer').count();
      await p.locator('#ask').click();
      await wb.until(`answer ${i + 1} stored`, async () => (await p.locator('#image-answers .answer').count()) > before, 60_000);
      const answer = p.locator('#image-answers .answer').last();
      if (!(await answer.locator('h2', { hasText: 'Findings' }).count()) || !(await answer.locator('li', { hasText: 'Cardiomegaly' }).count())) {
        throw new Error('the answer is not rendered as markdown (heading and list)');
      }
      const dom = await unsafeDom(frame, '#image-answers .answer-text, #answer-live');
      if (dom.bad.length) throw new Error(`answer ${i + 1}: unsafe markup survived: ${dom.bad.slice(0, 8).join(', ')}`);
      const overflow = await answer.evaluate((el) => el.scrollWidth - el.clientWidth);
      if (overflow > 2) throw new Error(`a long token overflows the answer by ${overflow} px`);
      w.assertQuiet(`answer ${i + 1} rendered`);
      const [n] = await clickEveryLink(ui, w, answer, `annotator answer ${i + 1}`);
      links += n;
      ui.log(`answer ${i + 1}: ${dom.elements} elements, ${n} links clicked, nothing opened`);
    }
    ui.log(`${vectors.length} vectors in ${batches.length} answers, ${links} links clicked`);
    await ui.shot('23-hostile-annotator');
  } finally {
    w.stop();
    sim.setOptions({ answerText: undefined, tokensPerSecond: 150 });
  }
}
