// Where the test fixtures are: test/fixtures/ in this repository (README.md there lists each
// file and its license). Found from any test location, also from the bundled host tests in
// dist/test/host. A missing fixture skips the test that needs it with the file's name, and
// fails it when CI=true: CI must never pass by skipping.
import { existsSync } from 'node:fs';
import * as path from 'node:path';

function repositoryRoot(from: string): string {
  for (let dir = from, i = 0; i < 8; i++, dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'test', 'fixtures', 'README.md'))) return dir;
  }
  return path.resolve(from, '..', '..');
}

export const FIXTURES = path.join(repositoryRoot(__dirname), 'test', 'fixtures');

/** The path of a fixture, e.g. fixture('pdfs', 'tully2010-heart-failure-programmes.pdf'). */
export function fixture(...parts: string[]): string {
  return path.join(FIXTURES, ...parts);
}

/**
 * Returns when `file` exists; otherwise skips the running test (mocha's `this`), or throws
 * when CI=true.
 */
export function requireFixture(ctx: Mocha.Context, file: string): void {
  if (existsSync(file)) return;
  if (process.env.CI === 'true') throw new Error(`fixture ${file} is missing (with CI=true a missing fixture is a failure)`);
  console.log(`    (skipped: fixture ${file} not found)`);
  ctx.skip();
}
