// Renders media/icon.svg to the 128×128 media/icon.png the manifest's "icon" names, with the
// Chromium the UI tier uses (node test/e2e/ensure.mjs installs playwright-core). Run it again
// after editing the SVG and commit both files; packaging does not run it.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../test/e2e/codeserver.mjs';

const media = join(dirname(fileURLToPath(import.meta.url)), '..', 'media');
const svg = readFileSync(join(media, 'icon.svg'), 'utf8');
const browser = await launchChromium({ viewport: { width: 128, height: 128 } });
try {
  await browser.page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await browser.page.locator('svg').screenshot({ path: join(media, 'icon.png'), omitBackground: true });
} finally {
  await browser.close();
}
