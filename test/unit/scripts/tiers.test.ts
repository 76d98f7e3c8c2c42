// `npm test` itself (scripts/tiers.mjs): the tiers in order, --fast without the real VS Code,
// the counts summed from each tier's last count line, and a stop at the first tier that fails.
import * as assert from 'node:assert/strict';
import { Writable } from 'node:stream';

interface Tiers {
  tiersFor(fast: boolean): Array<[string, string, string[]]>;
  lastCount(lines: string[]): { passed: number; failed: number; skipped: number } | undefined;
  runTiers(tiers: Array<[string, string, string[]]>, out: NodeJS.WritableStream): Promise<{ code: number; total: { passed: number; failed: number; skipped: number }; ran: string[] }>;
}
// A plain module of the build scripts (no types of its own): loaded as what it is, typed here.
const TIERS = '../../../scripts/tiers.mjs';
const load = () => import(TIERS) as Promise<Tiers>;

/** A tier that prints `text` and exits with `code`: a real process, like the real tiers. */
const tier = (name: string, text: string, code = 0): [string, string, string[]] => [name, process.execPath, ['-e', `process.stdout.write(${JSON.stringify(text)}); process.exit(${code})`]];

function sink(): { out: NodeJS.WritableStream; text: () => string } {
  let text = '';
  const out = new Writable({ write: (c, _e, cb) => ((text += String(c)), cb()) });
  return { out, text: () => text };
}

describe('scripts/tiers: npm test', function () {
  this.timeout(20_000);

  it('--fast: typecheck, lint, unit, build; the full run adds fuzz, VS Code, UI, package, installed, in that order', async () => {
    const { tiersFor } = await load();
    const fast = tiersFor(true).map(([n]) => n);
    assert.deepEqual(fast, ['typecheck', 'lint', 'unit + simulator', 'build']);
    const full = tiersFor(false).map(([n]) => n);
    assert.deepEqual(full.slice(0, 4), fast);
    assert.deepEqual(full.slice(4), ['fuzz (short seeded pass)', 'install real VS Code (first run only)', 'VS Code extension host', 'UI in Chromium', 'package VSIX (production build)', 'installed VSIX and npm package']);
  });

  it("reads a tier's last count line, with or without a label and colour codes", async () => {
    const { lastCount } = await load();
    assert.deepEqual(lastCount(['12 passing', '\u001b[32m5 passed, 0 failed\u001b[0m']), { passed: 5, failed: 0, skipped: 0 });
    assert.deepEqual(lastCount(['trusted: 3 passed, 1 failed, 2 skipped', 'host: 7 passed, 1 failed, 2 skipped']), { passed: 7, failed: 1, skipped: 2 });
    assert.equal(lastCount(['nothing here', 'passed 3']), undefined);
  });

  it('sums the counts of every tier and exits 0 when all pass', async () => {
    const { runTiers } = await load();
    const s = sink();
    const r = await runTiers([tier('one', 'a\n3 passed, 0 failed\n'), tier('two', 'ui: 4 passed, 0 failed, 1 skipped')], s.out);
    assert.equal(r.code, 0);
    assert.deepEqual(r.total, { passed: 7, failed: 0, skipped: 1 });
    assert.match(s.text(), /=== one: ok in [\d.]+ s ===[\s\S]*All tiers passed[\s\S]*7 passed, 0 failed, 1 skipped\n$/);
  });

  it('stops at the first tier that fails, with its exit code, and counts a failure even without a count line', async () => {
    const { runTiers } = await load();
    const s = sink();
    const r = await runTiers([tier('one', '2 passed, 0 failed\n'), tier('broken', 'error TS2304\n', 3), tier('never', '9 passed, 0 failed\n')], s.out);
    assert.equal(r.code, 3);
    assert.deepEqual(r.ran, ['one', 'broken']);
    assert.deepEqual(r.total, { passed: 2, failed: 1, skipped: 0 });
    assert.match(s.text(), /=== broken FAILED \(exit 3\) after [\d.]+ s ===\n2 passed, 1 failed, 0 skipped\n$/);
    assert.doesNotMatch(s.text(), /never/);
  });
});
