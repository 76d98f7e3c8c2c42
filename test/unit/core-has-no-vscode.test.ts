// The core runs in the CLI and in plain Node tests: it must never import the editor API.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('src/core', () => {
  it('never imports vscode', () => {
    const root = path.join(__dirname, '..', '..', 'src', 'core');
    const offenders = files(root).filter((f) =>
      /from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\)/.test(fs.readFileSync(f, 'utf8')),
    );
    assert.ok(files(root).length > 0, 'no core files found');
    assert.deepEqual(offenders, []);
  });
});
