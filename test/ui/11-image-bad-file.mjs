// A text file named .dcm opens in the annotator with a clear message instead of an image.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openInAnnotator } from './08-image-annotator.mjs';

export const name = 'image annotator: a text file named .dcm gets a clear message';

export async function run(ui) {
  const file = join(ui.folder, 'not-really.dcm');
  if (!existsSync(file)) writeFileSync(file, 'This is a clinical note, not an image.\n'.repeat(20));
  const p = await openInAnnotator(ui, 'not-really.dcm');
  const msg = await p.locator('#failed').innerText({ timeout: 30_000 });
  ui.log(`message: ${JSON.stringify(msg)}`);
  if (!/not-really.dcm is a text file, not a PNG, JPEG or DICOM image/.test(msg) || !/Open the original image file/.test(msg)) throw new Error(`unclear message: ${msg}`);
  await ui.shot('11-image-bad-file');
}
