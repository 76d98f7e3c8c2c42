// Where the DICOM and image fixtures are (test/fixtures), and a skip (a failure in CI) when absent.
import { fixture, requireFixture } from '../../fixtures';

export const DICOM_DIR = fixture('dicom');
export const IMAGES_DIR = fixture('images');

/** Skips the calling test when the fixtures are absent (fails it when CI=true). */
export function needFixtures(ctx: Mocha.Context): void {
  requireFixture(ctx, DICOM_DIR);
  requireFixture(ctx, IMAGES_DIR);
}
