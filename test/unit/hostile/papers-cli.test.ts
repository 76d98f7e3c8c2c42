// `medgemma papers index` on hostile PDFs and folders, as a real process: every bad file fails
// alone with one sentence, the good file after it is indexed, nothing floods the terminal, and
// the run stays within its time and memory.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HOSTILE, JARGON, runCli } from '../../cli-process';

const fixture = (name: string) => path.join(HOSTILE, name);

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'medgemma-hostile-papers-'));
}

/** The reason printed under a file's `failed` line. */
function reasonFor(stdout: string, file: string): string {
  const m = new RegExp(`^failed\\s+.*${file.replace(/\./g, '\\.')}\\n\\s+(.+)$`, 'm').exec(stdout);
  assert.ok(m, `no failure listed for ${file}:\n${stdout}`);
  return m[1];
}

/** One sentence that says what to do; no library wording. */
function assertClear(reason: string): void {
  assert.doesNotMatch(reason, JARGON, reason);
  assert.match(reason, /\.$/, reason);
  assert.ok(reason.length < 300, reason);
}

describe('hostile PDFs: medgemma papers index (real process)', function () {
  this.timeout(120_000);

  it('a page whose /Parent points elsewhere, so the cross-reference offsets are off (found by the fuzz tier): no crash, the next file indexed', async function () {
    // pdf.js left a promise rejected that nobody awaited; in the worker thread that was an
    // unhandled 'error' event that ended the CLI with exit 1 and a stack trace.
    const dir = tmp();
    const qdf = path.join(dir, 'qdf.pdf');
    const q = spawnSync('qpdf', ['--qdf', '--object-streams=disable', '--deterministic-id', path.join(HOSTILE, '../pdfs/agyeman-duah2014-quality-improvement-malawi.pdf'), qdf]);
    if (q.error) {
      if (process.env.CI) throw new Error('qpdf (Debian package qpdf) is missing');
      this.skip();
    }
    const text = fs.readFileSync(qdf, 'latin1');
    assert.ok(text.includes('/Parent 8 0 R'));
    const bad = path.join(dir, 'parent-elsewhere.pdf');
    fs.writeFileSync(bad, text.replace('/Parent 8 0 R', '/Parent 299 0 R'), 'latin1');
    const r = await runCli(['papers', 'index', '--index', path.join(dir, 'index'), bad, fixture('pdf-good.pdf')]);
    assert.ok(r.code === 0 || r.code === 2, `exit ${r.code}: ${r.stderr.slice(0, 2000)}`);
    assert.doesNotMatch(r.stderr, /\n\s+at |Unhandled|XRef/);
    assert.match(r.stdout, /^indexed\s+.*pdf-good\.pdf — 1 pages/m);
  });

  it('forms that draw each other or themselves are indexed without a hang or output on stderr; the good file after them too', async () => {
    const dir = tmp();
    const r = await runCli(['papers', 'index', '--index', path.join(dir, 'index'), fixture('pdf-xobject-cycle.pdf'), fixture('pdf-xobject-self.pdf'), fixture('pdf-good.pdf')]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^indexed\s+.*pdf-xobject-cycle\.pdf — 1 pages/m);
    assert.match(r.stdout, /^indexed\s+.*pdf-xobject-self\.pdf — 1 pages/m);
    assert.match(r.stdout, /^indexed\s+.*pdf-good\.pdf — 1 pages/m);
    assert.equal(r.stderr, `medgemma: index in ${path.join(dir, 'index')}\n`);
    assert.ok(r.ms < 20_000, `took ${r.ms} ms`);
    assert.ok(r.peakMiB < 400, `peak RSS ${r.peakMiB.toFixed(0)} MiB`);
    // The cycle's own text is there once, not once per round of the loop.
    const s = await runCli(['papers', 'search', 'Two forms that draw each other', '--json', '--index', path.join(dir, 'index')]);
    const text: string = JSON.parse(s.stdout).hits[0].text;
    assert.equal(text.split('Two forms that draw each other').length - 1, 1, text);
  });

  it('a form that only draws itself (a stack overflow in pdf.js) prints nothing; the good file after it is indexed', async () => {
    const dir = tmp();
    const r = await runCli(['papers', 'index', '--index', path.join(dir, 'index'), fixture('pdf-xobject-self-bare.pdf'), fixture('pdf-good.pdf')]);
    // It has no text: "contains no text to index" is its honest outcome (exit 2).
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assertClear(reasonFor(r.stdout, 'pdf-xobject-self-bare.pdf'));
    assert.match(r.stdout, /^indexed\s+.*pdf-good\.pdf — 1 pages/m);
    assert.equal(r.stderr, `medgemma: index in ${path.join(dir, 'index')}\n`);
    assert.ok(r.ms < 15_000, `took ${r.ms} ms`);
  });

  it('a file that stalls the reader is stopped at its time limit and fails alone (exit 2); the next file is indexed', async () => {
    const dir = tmp();
    const r = await runCli(['papers', 'index', '--file-timeout', '2', '--index', path.join(dir, 'index'), fixture('pdf-form-fanout.pdf'), fixture('pdf-good.pdf')]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    const reason = reasonFor(r.stdout, 'pdf-form-fanout.pdf');
    assert.match(reason, /^pdf-form-fanout\.pdf took more than 2 s to read, so it was stopped/);
    assertClear(reason);
    assert.match(r.stdout, /^indexed\s+.*pdf-good\.pdf — 1 pages/m);
    assert.equal(r.stderr, `medgemma: index in ${path.join(dir, 'index')}\n`);
    assert.ok(r.ms < 15_000, `took ${r.ms} ms`);
    assert.ok(r.peakMiB < 400, `peak RSS ${r.peakMiB.toFixed(0)} MiB`);
  });

  it('a broken PDF is bad input: exit 2 with one sentence, the others indexed', async () => {
    const dir = tmp();
    const r = await runCli(['papers', 'index', '--index', path.join(dir, 'index'), fixture('pdf-broken.pdf'), fixture('pdf-good.pdf')]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    const reason = reasonFor(r.stdout, 'pdf-broken.pdf');
    assert.equal(reason, 'pdf-broken.pdf is not a readable PDF (damaged or truncated). Download it again and re-index it.');
    assert.match(r.stdout, /^indexed\s+.*pdf-good\.pdf/m);
    assert.ok(r.ms < 15_000, `took ${r.ms} ms`);
  });

  it('dangling links, link loops, a folder that links to itself and a pipe in a folder never stop the others', async function () {
    if (process.platform === 'win32') this.skip();
    const dir = tmp();
    const papers = path.join(dir, 'papers');
    fs.mkdirSync(path.join(papers, 'sub'), { recursive: true });
    fs.copyFileSync(fixture('pdf-good.pdf'), path.join(papers, 'sub', 'good.pdf'));
    fs.symlinkSync(path.join(dir, 'gone.pdf'), path.join(papers, 'dangling.pdf'));
    fs.symlinkSync('loop.pdf', path.join(papers, 'loop.pdf'));
    fs.symlinkSync('..', path.join(papers, 'sub', 'up'));
    const fifo = spawnSync('mkfifo', [path.join(papers, 'pipe.pdf')]).status === 0;
    const r = await runCli(['papers', 'index', '--index', path.join(dir, 'index'), papers, path.join(dir, 'missing.pdf')]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.equal(reasonFor(r.stdout, 'dangling.pdf'), `dangling.pdf is a link to ${path.join(dir, 'gone.pdf')}, which does not exist. Fix or remove the link.`);
    assert.equal(reasonFor(r.stdout, 'loop.pdf'), 'loop.pdf is a link that leads back to itself (a loop). Fix or remove the link.');
    assert.equal(reasonFor(r.stdout, 'missing.pdf'), 'missing.pdf does not exist. Check the path.');
    if (fifo) assertClear(reasonFor(r.stdout, 'pipe.pdf'));
    // Indexed once, although the folder can be reached again through sub/up.
    assert.equal(r.stdout.match(/^indexed\s+.*good\.pdf/gm)?.length, 1, r.stdout);
    assert.equal(r.stderr, `medgemma: index in ${path.join(dir, 'index')}\n`);
    assert.ok(r.ms < 15_000, `took ${r.ms} ms`);
  });
});
