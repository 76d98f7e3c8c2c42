// The committed hostile files are exactly what make.mjs writes (so they can be trusted, and
// remade after a change to the script).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { HOSTILE } from '../../cli-process';

describe('hostile fixtures', () => {
  it('are what test/fixtures/hostile/make.mjs writes, and each is described in its README', async () => {
    const { hostileFiles } = (await import(pathToFileURL(path.join(HOSTILE, 'make.mjs')).href)) as { hostileFiles(): Record<string, Buffer> };
    const made = hostileFiles();
    const readme = fs.readFileSync(path.join(HOSTILE, 'README.md'), 'utf8');
    const committed = fs.readdirSync(HOSTILE).filter((f) => !/\.(mjs|md)$/.test(f));
    assert.deepEqual(committed.sort(), Object.keys(made).sort());
    for (const [name, bytes] of Object.entries(made)) {
      assert.ok(fs.readFileSync(path.join(HOSTILE, name)).equals(bytes), `${name} differs from what make.mjs writes`);
      assert.ok(readme.includes(`\`${name}\``), `${name} is not described in README.md`);
      assert.ok(bytes.length < 16_384, `${name} is ${bytes.length} bytes`);
    }
  });
});
