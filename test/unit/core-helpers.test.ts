// The small shared helpers of src/core: a place in a line (wait-in-line.ts), a file replaced whole
// (write-atomic.ts), hidden characters shown (model-text/invisible.ts) and counted words (plural.ts).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { waitInLine } from '../../src/core/wait-in-line';
import { writeAtomic } from '../../src/core/write-atomic';
import { codePointLabel, hasInvisible, revealInvisible } from '../../src/core/model-text/invisible';
import { plural } from '../../src/core/plural';

describe('waitInLine', () => {
  it('joins the end of the line and resolves true when served', async () => {
    const line: Array<() => void> = [() => undefined];
    const ac = new AbortController();
    const waiting = waitInLine(line, ac.signal);
    assert.equal(line.length, 2);
    line[1]();
    assert.equal(await waiting, true);
    // Served, it no longer listens: a later stop changes nothing and leaves the line alone.
    line.push(() => undefined);
    ac.abort();
    assert.equal(line.length, 3);
  });

  it('a stop takes the entry out of the line (only its own) and resolves false', async () => {
    const line: Array<() => void> = [];
    const first = new AbortController();
    const a = waitInLine(line, first.signal);
    const b = waitInLine(line);
    const [serveA, serveB] = line;
    first.abort();
    assert.equal(await a, false);
    assert.deepEqual(line, [serveB]);
    line.shift()!();
    assert.equal(await b, true);
    void serveA;
  });

  it('a stop after the entry already left the line removes nothing else', async () => {
    const line: Array<() => void> = [];
    const ac = new AbortController();
    const waiting = waitInLine(line, ac.signal);
    line.splice(0, 1); // taken out by whoever serves, not yet called
    const other = () => undefined;
    line.push(other);
    ac.abort();
    assert.equal(await waiting, false);
    assert.deepEqual(line, [other]);
  });
});

describe('writeAtomic', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mg-atomic-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('replaces the file whole (text or bytes) and leaves no temp file', async () => {
    const target = path.join(dir, 'a.json');
    fs.writeFileSync(target, 'old');
    await writeAtomic(target, 'new text');
    assert.equal(fs.readFileSync(target, 'utf8'), 'new text');
    await writeAtomic(target, new Uint8Array([1, 2, 3]));
    assert.deepEqual([...fs.readFileSync(target)], [1, 2, 3]);
    assert.deepEqual(fs.readdirSync(dir), ['a.json']);
  });

  it('writes through a temp file beside the target, never the target in place', async () => {
    const target = path.join(dir, 'b.txt');
    fs.writeFileSync(target, 'old');
    // A hard link shares the old file's content: written in place, it would change too.
    const link = path.join(dir, 'link.txt');
    fs.linkSync(target, link);
    await writeAtomic(target, 'new');
    assert.equal(fs.readFileSync(link, 'utf8'), 'old');
    assert.equal(fs.readFileSync(target, 'utf8'), 'new');
  });

  it('a failed rename leaves the old file and no temp file, and throws', async () => {
    const target = path.join(dir, 'folder');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'inside'), 'x');
    await assert.rejects(writeAtomic(target, 'data'));
    assert.deepEqual(fs.readdirSync(dir), ['folder']);
    assert.deepEqual(fs.readdirSync(target), ['inside']);
  });

  it('a folder that does not exist is an error, not created', async () => {
    await assert.rejects(writeAtomic(path.join(dir, 'missing', 'x.txt'), 'data'), { code: 'ENOENT' });
    assert.deepEqual(fs.readdirSync(dir), []);
  });
});

describe('hidden characters shown', () => {
  it('labels a code point with at least four upper-case hex digits', () => {
    assert.equal(codePointLabel('\u0007'), '⟨U+0007⟩');
    assert.equal(codePointLabel('\u202e'), '⟨U+202E⟩');
    assert.equal(codePointLabel('\u{E0041}'), '⟨U+E0041⟩');
    assert.equal(codePointLabel('\u00ad'), '⟨U+00AD⟩');
  });

  it('reveals format, control, private-use and lone surrogate characters; keeps tab, LF, CR and ordinary text', () => {
    assert.equal(revealInvisible('a\tb\nc\rd'), 'a\tb\nc\rd');
    assert.equal(revealInvisible('x\u200by\u00adz\ue000\ud800!'), 'x⟨U+200B⟩y⟨U+00AD⟩z⟨U+E000⟩⟨U+D800⟩!');
    assert.equal(revealInvisible('\u0000\u001b\u007f\u0085'), '⟨U+0000⟩⟨U+001B⟩⟨U+007F⟩⟨U+0085⟩');
    assert.equal(revealInvisible('Café 😀 — «ok»'), 'Café 😀 — «ok»');
  });

  it('hasInvisible answers the same however often it is asked (no regex state left over)', () => {
    for (let i = 0; i < 3; i++) {
      assert.equal(hasInvisible('ab\u200b'), true);
      assert.equal(hasInvisible('\u202eab'), true);
      assert.equal(hasInvisible('plain\ttext\r\n'), false);
    }
    // After revealInvisible (which uses the same global pattern) too.
    revealInvisible('a\u200bb');
    assert.equal(hasInvisible('\u200b'), true);
  });
});

describe('plural', () => {
  it('agrees the word with the count, with thousands separated', () => {
    assert.deepEqual(
      [plural(0, 'note'), plural(1, 'note'), plural(2, 'note'), plural(1204, 'note'), plural(1, 'summary', 'summaries'), plural(3, 'summary', 'summaries')],
      ['0 notes', '1 note', '2 notes', '1,204 notes', '1 summary', '3 summaries'],
    );
  });
});
