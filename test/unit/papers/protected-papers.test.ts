// Password-protected papers: their text is searchable for the session that opened them and is
// never written to the library's folder (chunks, index, cache), also when this or another
// writer commits later; after a restart they are locked until the password is given again.
// And the folder and files are private to the user.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PaperLibrary } from '../../../src/core/papers/library';
import { readPdf } from '../../../src/core/papers/pdf-read';
import { builtWorker, encryptWithQpdf, makePdf, tmpDir } from './make-pdf';

const SECRET = 'zqsecretxv';

/** Every file under dir, as text. */
function allFiles(dir: string): { file: string; text: string }[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => {
    const file = path.join(e.parentPath, e.name);
    return { file, text: fs.readFileSync(file, 'latin1') };
  });
}

function assertNoSecret(dir: string): void {
  for (const { file, text } of allFiles(dir)) {
    assert.doesNotMatch(text, new RegExp(`${SECRET}|rivaroxaban`, 'i'), `${path.relative(dir, file)} holds the protected paper's text`);
  }
}

describe('papers: password-protected papers stay off the disk', function () {
  this.timeout(60_000);

  it('papers read at once ask for their passwords one at a time', async function () {
    const work = tmpDir('medgemma-protected-');
    const files = ['a', 'b'].map((n) => {
      const plain = path.join(work, `${n}-plain.pdf`);
      fs.writeFileSync(plain, makePdf([{ lines: [`Rivaroxaban ${SECRET} trial ${n} of the locked papers.`] }]));
      const locked = path.join(work, `${n}.pdf`);
      encryptWithQpdf(this, plain, locked, `pw-${n}`);
      fs.rmSync(plain);
      return locked;
    });
    const lib = new PaperLibrary(path.join(work, 'index'), { workerFile: builtWorker(), extractWorkers: 2 });
    let open = 0;
    let most = 0;
    const asked: string[] = [];
    let secondAsked: () => void = () => undefined;
    const second = new Promise<void>((resolve) => (secondAsked = resolve));
    const recs = await lib.add(files, {
      password: async (file) => {
        asked.push(path.basename(file));
        most = Math.max(most, ++open);
        if (asked.length === 2) secondAsked();
        // The first prompt stays open until a second one shows (it must not, while this one is open) or 2 s pass.
        else await Promise.race([second, new Promise((r) => setTimeout(r, 2000))]);
        open--;
        return `pw-${path.basename(file, '.pdf')}`;
      },
    });
    assert.deepEqual(asked.sort(), ['a.pdf', 'b.pdf']);
    assert.equal(most, 1, 'two password prompts were open at once');
    assert.deepEqual(recs.map((r) => r.state), ['indexed', 'indexed']);
  });

  it('are searchable for the session only, locked after a restart, and re-opened with the password', async function () {
    const work = tmpDir('medgemma-protected-');
    const index = path.join(work, 'index');
    const plain = path.join(work, 'plain.pdf');
    fs.writeFileSync(plain, makePdf([{ lines: [`Rivaroxaban ${SECRET} reduced recurrent thrombosis in the locked trial.`] }]));
    const locked = path.join(work, 'locked.pdf');
    encryptWithQpdf(this, plain, locked, 'pw');
    fs.rmSync(plain);
    const open = [1, 2, 3].map((i) => {
      const f = path.join(work, `open${i}.pdf`);
      fs.writeFileSync(f, makePdf([{ lines: [`Apixaban dosing in renal impairment, cohort number ${i} of the open trials.`] }]));
      return f;
    });

    const lib = new PaperLibrary(index, { inProcess: readPdf });
    await lib.add([open[0]]);
    const asked: boolean[] = [];
    const [rec] = await lib.add([locked], { password: async (_f, wrong) => (asked.push(wrong), asked.length === 1 ? 'not it' : 'pw') });
    assert.deepEqual(asked, [false, true], 'asked again after a wrong password');
    assert.equal(rec.state, 'indexed');
    assert.equal(rec.sessionOnly, true);
    assert.match(rec.reason!, /kept in memory for this session only/);
    assert.equal((await lib.search(SECRET, 1))[0]?.paper.id, rec.id);
    assert.match((await lib.chunk(`${rec.id}#0`))!.text, /Rivaroxaban/);

    // Later commits: by this window, then another writer, then this one again (merging the other's index).
    await lib.add([open[1]]);
    const other = new PaperLibrary(index, { inProcess: readPdf });
    await other.add([open[2]]);
    assert.deepEqual(await other.search(SECRET, 1), [], 'another process never sees the text');
    await lib.add([open[0]], { force: true });
    assert.equal((await lib.search(SECRET, 1))[0]?.paper.id, rec.id, 'still searchable in the session that opened it');
    assert.equal((await lib.list()).length, 4);
    assertNoSecret(index);
    const stored = JSON.parse(fs.readFileSync(path.join(index, 'library.json'), 'utf8')).papers.find((p: { id: string }) => p.id === rec.id);
    assert.equal(stored.state, 'encrypted');
    assert.equal(stored.chunkFile, undefined);

    // A restart: the paper is listed, locked, and says how to open it again.
    const restarted = new PaperLibrary(index, { inProcess: readPdf });
    const lockedRec = (await restarted.findByFile(locked))!;
    assert.equal(lockedRec.state, 'encrypted');
    assert.match(lockedRec.reason!, /locked now\. Enter its password again/);
    assert.equal(lockedRec.meta, undefined, 'not even its title (it is the decrypted text too)');
    assert.deepEqual(await restarted.search(SECRET, 1), []);
    const [again] = await restarted.add([locked], { password: async () => 'pw' });
    assert.equal(again.state, 'indexed');
    assert.equal((await restarted.search(SECRET, 1))[0]?.paper.id, rec.id);

    // Stored decrypted (the CLI's --store-decrypted, or an older version), then opened again in a session: the stored text goes.
    await restarted.add([locked], { password: async () => 'pw', protectedText: 'store', force: true });
    assert.ok(allFiles(index).some(({ text }) => text.includes(SECRET)), 'stored when asked to');
    const [inMemory] = await restarted.add([locked], { password: async () => 'pw', force: true });
    assert.equal(inMemory.sessionOnly, true);
    assertNoSecret(index);
    assert.equal((await restarted.search(SECRET, 1))[0]?.paper.id, rec.id);

    assert.ok(await restarted.remove(rec.id));
    assert.deepEqual(await restarted.search(SECRET, 1), []);
    assert.equal(await restarted.findByFile(locked), undefined);
    assertNoSecret(index);
  });

  it('creates the folder 0700 and its files 0600, and tightens a folder an older version left readable', async function () {
    if (process.platform === 'win32') return this.skip();
    const work = tmpDir('medgemma-modes-');
    const f = path.join(work, 'a.pdf');
    fs.writeFileSync(f, makePdf([{ lines: ['Heparin bridging before surgery.'] }]));
    const check = (index: string) => {
      for (const d of [index, path.join(index, 'chunks'), path.join(index, 'cache')]) assert.equal(fs.statSync(d).mode & 0o777, 0o700, d);
      for (const { file } of allFiles(index)) assert.equal(fs.statSync(file).mode & 0o777, 0o600, file);
    };
    const fresh = path.join(work, 'fresh', 'papers');
    await new PaperLibrary(fresh, { inProcess: readPdf }).add([f]);
    check(fresh);

    const old = path.join(work, 'old');
    fs.mkdirSync(path.join(old, 'cache'), { recursive: true });
    fs.chmodSync(old, 0o755);
    fs.chmodSync(path.join(old, 'cache'), 0o755);
    fs.writeFileSync(path.join(old, 'cache', 'earlier.json'), '{}');
    fs.chmodSync(path.join(old, 'cache', 'earlier.json'), 0o644);
    await new PaperLibrary(old, { inProcess: readPdf }).add([f]);
    check(old);
  });
});
