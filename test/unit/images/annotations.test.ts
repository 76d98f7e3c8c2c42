// The sidecar: schema, atomic save on every change, conflict when changed on disk, an
// unreadable file kept aside (never overwritten); COCO export without patient data.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toCoco } from '../../../src/core/images/annotations/coco';
import { type Annotation, checkFile, emptyFile } from '../../../src/core/images/annotations/schema';
import { readSidecar, saveSidecar, sidecarPath } from '../../../src/core/images/annotations/sidecar';
import { imageProtocol } from '../../../src/protocol/image';

const ann = (id: string, shape: Annotation['shape'], label = 'nodule'): Annotation => ({
  id,
  frame: 0,
  shape,
  label,
  text: '',
  answers: [{ prompt: 'q', text: 'a', model: 'm', at: '2026-01-01T00:00:00Z', finish: 'stop' }],
  created: '2026-01-01T00:00:00Z',
  modified: '2026-01-01T00:00:00Z',
});

describe('images: annotations', () => {
  let dir: string;
  let image: string;
  const size = { width: 512, height: 512, frames: 1 };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mg-ann-'));
    image = join(dir, 'ct.dcm');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('saves and reads back what was saved, no temp file left', async () => {
    const first = await readSidecar(image, size);
    assert.equal(first.hash, undefined);
    first.file.annotations.push(ann('a1', { type: 'rect', x: 10, y: 20, w: 30, h: 40 }));
    const r = await saveSidecar(image, first.file, first.hash);
    assert.ok(r.saved);
    assert.deepEqual(readdirSync(dir).sort(), ['ct.dcm.annotations.json'], 'no temp file left behind');
    const again = await readSidecar(image, size);
    assert.deepEqual(again.file.annotations, first.file.annotations);
    assert.equal(again.file.version, 1);
    assert.equal(again.hash, r.saved ? r.hash : '');
  });

  it('replaces the file instead of rewriting it in place: whoever holds the old file still reads all of it', async () => {
    const first = await readSidecar(image, size);
    first.file.annotations.push(ann('a1', { type: 'point', x: 1, y: 1 }));
    const s1 = await saveSidecar(image, first.file, first.hash);
    assert.ok(s1.saved);
    const oldText = readFileSync(sidecarPath(image), 'utf8');
    // A second name for the old file (as a reader that opened it has): a write in place would change it.
    const held = join(dir, 'held-old.json');
    linkSync(sidecarPath(image), held);
    first.file.annotations.push(ann('a2', { type: 'point', x: 2, y: 2 }));
    const s2 = await saveSidecar(image, first.file, s1.hash);
    assert.ok(s2.saved);
    assert.equal(readFileSync(held, 'utf8'), oldText, 'the old file was rewritten in place');
    assert.notEqual(statSync(held).ino, statSync(sidecarPath(image)).ino);
    assert.match(readFileSync(sidecarPath(image), 'utf8'), /"a2"/);
  });

  it('a save that fails part-way (file size limit, as a full disk) leaves the old file whole and no temp file', async function () {
    this.timeout(30_000);
    const first = await readSidecar(image, size);
    first.file.annotations.push(ann('old', { type: 'point', x: 1, y: 1 }));
    const s1 = await saveSidecar(image, first.file, first.hash);
    assert.ok(s1.saved);
    const oldText = readFileSync(sidecarPath(image), 'utf8');
    assert.ok(oldText.length < 8 * 1024, `${oldText.length}`);
    // The new file is about 1 MB; the child may write at most 64 KB (ulimit -f 128: 512- or
    // 1024-byte blocks, whichever the shell counts), so its write fails with EFBIG part-way.
    const child = `
      const { readSidecar, saveSidecar } = require(${JSON.stringify(require.resolve('../../../src/core/images/annotations/sidecar'))});
      (async () => {
        const r = await readSidecar(${JSON.stringify(image)}, ${JSON.stringify(size)});
        r.file.annotations[0].text = 'x'.repeat(1 << 20);
        await saveSidecar(${JSON.stringify(image)}, r.file, r.hash);
      })().then(() => process.exit(0), (e) => { console.error('save failed: ' + e.code); process.exit(3); });`;
    const r = spawnSync('/bin/sh', ['-c', 'ulimit -f 128 && exec "$0" -r tsx/cjs -e "$1"', process.execPath, child], { encoding: 'utf8', cwd: join(__dirname, '../../..') });
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stderr, /save failed: EFBIG/);
    assert.equal(readFileSync(sidecarPath(image), 'utf8'), oldText, 'the old file was damaged by a failed save');
    assert.deepEqual(readdirSync(dir).sort(), ['ct.dcm.annotations.json'], 'a temp file was left behind');
  });

  it('a file changed on disk is a conflict, not an overwrite', async () => {
    const a = await readSidecar(image, size);
    const s = await saveSidecar(image, a.file, a.hash);
    assert.ok(s.saved);
    const theirs = JSON.parse(readFileSync(sidecarPath(image), 'utf8'));
    theirs.annotations.push(ann('theirs', { type: 'point', x: 1, y: 1 }));
    writeFileSync(sidecarPath(image), JSON.stringify(theirs));
    a.file.annotations.push(ann('mine', { type: 'point', x: 2, y: 2 }));
    const r = await saveSidecar(image, a.file, s.saved ? s.hash : undefined);
    assert.equal(r.saved, false);
    assert.match(readFileSync(sidecarPath(image), 'utf8'), /theirs/);
    const forced = await saveSidecar(image, a.file, undefined, true);
    assert.ok(forced.saved);
    assert.match(readFileSync(sidecarPath(image), 'utf8'), /mine/);
  });

  it('an unreadable sidecar is kept aside, never overwritten', async () => {
    writeFileSync(sidecarPath(image), '{ broken');
    const r = await readSidecar(image, size);
    assert.match(r.movedAside ?? '', /unreadable.*not valid JSON/);
    assert.equal(r.file.annotations.length, 0);
    assert.ok(readdirSync(dir).some((f) => f.includes('.unreadable-')));
    assert.equal(readFileSync(sidecarPath(image), 'utf8'), '{ broken');
  });

  it('a sidecar path that cannot be read (a folder) opens as no annotations, says why, and is left alone', async () => {
    mkdirSync(sidecarPath(image));
    const r = await readSidecar(image, size);
    assert.equal(r.unreadable, 'ct.dcm.annotations.json cannot be read (it is a folder)');
    assert.equal(r.file.annotations.length, 0);
    assert.equal(r.hash, undefined);
    assert.deepEqual(readdirSync(dir), ['ct.dcm.annotations.json']);
  });

  it('rejects files of a newer schema and malformed annotations', () => {
    assert.match(String(checkFile({ ...emptyFile('x', 1, 1, 1), version: 99 })), /newer version/);
    assert.match(String(checkFile({ ...emptyFile('x', 1, 1, 1), annotations: [{ id: 'x' }] })), /malformed/);
  });

  it('COCO export: boxes, polygons, keypoints, categories; no answers or patient data', () => {
    const file = emptyFile('ct.dcm', 512, 512, 1);
    file.annotations = [
      ann('a', { type: 'rect', x: 10, y: 20, w: 30, h: 40 }),
      ann('b', { type: 'polygon', points: [[0, 0], [10, 0], [10, 10]], closed: true }, 'effusion'),
      ann('c', { type: 'point', x: 5, y: 6 }),
      ann('d', { type: 'ellipse', cx: 50, cy: 50, rx: 10, ry: 5 }),
    ];
    const coco = toCoco(file, 'ct.dcm', new Date('2026-01-01'));
    assert.equal(coco.images.length, 1);
    assert.deepEqual(coco.annotations[0].bbox, [10, 20, 30, 40]);
    assert.equal(coco.annotations[0].area, 1200);
    assert.equal(coco.annotations[1].area, 50);
    assert.deepEqual(coco.annotations[2].keypoints, [5, 6, 2]);
    assert.deepEqual(coco.categories.map((c) => c.name), ['nodule', 'effusion']);
    const text = JSON.stringify(coco);
    assert.doesNotMatch(text, /"answers"|PatientName|prompt/);
  });

  it('requests from the webview are validated (annotations without answers, a non-empty prompt)', () => {
    const R = imageProtocol.requests;
    const { answers: _a, ...edited } = ann('a', { type: 'rect', x: 1, y: 2, w: 3, h: 4 });
    assert.deepEqual(R['image/update'].schema.parse({ annotations: [edited] }), { annotations: [edited] });
    assert.throws(() => R['image/update'].schema.parse({ annotations: [{ ...edited, answers: [] }] }), /answers/);
    assert.throws(() => R['image/update'].schema.parse({ annotations: [{ ...edited, shape: { type: 'blob' } }] }), /type/);
    assert.throws(() => R['image/ask'].schema.parse({ frame: 0, ctThreeWindows: false, system: 's', prompt: '' }), /prompt/);
    assert.throws(() => R['image/frame'].schema.parse({ index: -1 }), /index/);
    assert.ok(existsSync(dir));
  });
});
