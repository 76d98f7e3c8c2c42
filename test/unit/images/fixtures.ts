// Where the shared DICOM and image fixtures are (../shared/fixtures), and a skip when absent.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(__dirname, '..', '..', '..', '..', 'shared', 'fixtures');
export const DICOM_DIR = join(FIXTURES, 'dicom');
export const IMAGES_DIR = join(FIXTURES, 'images');
export const haveFixtures = existsSync(DICOM_DIR);

/** Skips the calling suite with a clear message when the fixtures are not beside the checkout. */
export function needFixtures(ctx: Mocha.Context): void {
  if (!haveFixtures) {
    ctx.test?.title && (ctx.test.title += ` (skipped: ${FIXTURES} not found)`);
    ctx.skip();
  }
}
