// Image annotations at their limits: every check of the sidecar schema (each field and shape,
// non-finite numbers, unknown fields and __proto__ keys kept as data), the sidecar's read and
// save paths (missing, unreadable, unusable kept aside, no copy possible, conflicts, atomic
// replace) with exact sentences, and the exact COCO export (ids, boxes, areas, outlines, frames).
import * as assert from 'node:assert/strict';
import { linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toCoco } from '../../../src/core/images/annotations/coco';
import { type Annotation, type AnnotationFile, type Answer, type Shape, SCHEMA_VERSION, bbox, checkFile, emptyFile, validAnnotation } from '../../../src/core/images/annotations/schema';
import { hashText, readSidecar, saveSidecar, serialize, sidecarPath } from '../../../src/core/images/annotations/sidecar';

const answer = (over: Partial<Answer> = {}): Answer => ({ prompt: 'q', text: 'a', model: 'm', at: '2026-01-01T00:00:00Z', finish: 'stop', ...over });

const ann = (shape: Shape, over: Partial<Annotation> = {}): Annotation => ({
  ...{ id: 'a1', frame: 0, shape, label: 'nodule', text: 'note', answers: [answer()], created: '2026-01-01T00:00:00Z', modified: '2026-01-01T00:00:00Z' },
  ...over,
});

const RECT: Shape = { type: 'rect', x: 1, y: 2, w: 3, h: 4 };

/** A valid file as plain data, with `over` merged at the top level. */
const fileWith = (over: Record<string, unknown> = {}): Record<string, unknown> => ({ ...emptyFile('ct.dcm', 512, 256, 1), annotations: [ann(RECT)], ...over });

/** Shape validity, through an otherwise valid annotation. */
const shapeOk = (shape: unknown) => validAnnotation({ ...ann(RECT), shape });

type AsyncFn = (...a: unknown[]) => Promise<unknown>;

/** Runs fn with fs/promises[name] replaced (the module object sidecar.ts reads at call time). */
async function patched<T>(name: 'readFile' | 'copyFile', fake: AsyncFn, fn: () => Promise<T>): Promise<T> {
  const mod = fsp as unknown as Record<string, AsyncFn>;
  const real = mod[name];
  mod[name] = fake;
  try {
    return await fn();
  } finally {
    mod[name] = real;
  }
}

const failWith = (code: string | undefined): AsyncFn => () => Promise.reject(Object.assign(new Error(`${code}: refused`), code === undefined ? {} : { code }));

describe('images: annotation schema, field by field', () => {
  it('an empty file is exactly the schema name, version 1, the image and no answers or annotations', () => {
    assert.equal(SCHEMA_VERSION, 1);
    const image = { file: 'ct.dcm', width: 512, height: 256, frames: 3 };
    assert.deepEqual(emptyFile('ct.dcm', 512, 256, 3), { schema: 'medgemma-image-annotations', version: 1, image, imageAnswers: [], annotations: [] });
  });

  describe('bounding boxes [x, y, w, h]', () => {
    const cases: [string, Shape, number[]][] = [
      ['a rectangle drawn to the lower right is its own box', { type: 'rect', x: 10, y: 20, w: 30, h: 40 }, [10, 20, 30, 40]],
      ['a rectangle drawn up and to the left (negative size) is turned around', { type: 'rect', x: 10, y: 20, w: -4, h: -6 }, [6, 14, 4, 6]],
      ['an ellipse with negative radii spans their size either side of the centre', { type: 'ellipse', cx: 50, cy: 40, rx: -10, ry: -5 }, [40, 35, 20, 10]],
      ['an ellipse with positive radii spans them either side of the centre', { type: 'ellipse', cx: 50, cy: 40, rx: 10, ry: 5 }, [40, 35, 20, 10]],
      ['a polygon spans its smallest and largest x and y, wherever they are in the list', { type: 'polygon', points: [[5, 9], [1, 3], [7, 2]], closed: false }, [1, 2, 6, 7]],
      ['a one-point polygon is a box of no size', { type: 'polygon', points: [[4, 8]], closed: true }, [4, 8, 0, 0]],
      ['an arrow drawn up and to the left spans its two ends', { type: 'arrow', x1: 10, y1: 2, x2: 4, y2: 9 }, [4, 2, 6, 7]],
      ['an arrow drawn up and to the right spans its two ends', { type: 'arrow', x1: 1, y1: 9, x2: 5, y2: 2 }, [1, 2, 4, 7]],
      ['a point is a box of no size at the point', { type: 'point', x: 3, y: 4 }, [3, 4, 0, 0]],
    ];
    for (const [name, shape, box] of cases) it(name, () => assert.deepEqual(bbox(shape), box));
  });

  describe('shapes', () => {
    const bad = [NaN, Infinity, -Infinity, '1', null, undefined];
    const fields: [Shape, string[]][] = [
      [{ type: 'rect', x: 1, y: 2, w: 3, h: 4 }, ['x', 'y', 'w', 'h']],
      [{ type: 'ellipse', cx: 1, cy: 2, rx: 3, ry: 4 }, ['cx', 'cy', 'rx', 'ry']],
      [{ type: 'arrow', x1: 1, y1: 2, x2: 3, y2: 4 }, ['x1', 'y1', 'x2', 'y2']],
      [{ type: 'point', x: 1, y: 2 }, ['x', 'y']],
    ];
    for (const [shape, keys] of fields) {
      it(`a ${shape.type} with finite numbers is valid, also negative, zero and fractional ones`, () => {
        assert.equal(shapeOk(shape), true);
        for (const k of keys) for (const v of [-0.5, 0]) assert.equal(shapeOk({ ...shape, [k]: v }), true, `${k}=${v}`);
      });
      it(`a ${shape.type} with any one of ${keys.join(', ')} missing, not a number or not finite is invalid`, () => {
        for (const k of keys) {
          for (const v of bad) assert.equal(shapeOk({ ...shape, [k]: v }), false, `${k}=${String(v)}`);
          const { [k]: _gone, ...without } = shape as unknown as Record<string, unknown>;
          assert.equal(shapeOk(without), false, `${k} missing`);
        }
      });
    }

    it('a polygon of one point or many finite [x, y] pairs is valid, open or closed', () => {
      assert.equal(shapeOk({ type: 'polygon', points: [[0, 0]], closed: false }), true);
      assert.equal(shapeOk({ type: 'polygon', points: [[0, 0], [1.5, -2], [3, 4]], closed: true }), true);
    });
    it('a polygon without points, or with points that are not a list, is invalid', () => {
      for (const points of [[], undefined, { 0: [1, 2], length: 1 }, '[[1,2]]']) assert.equal(shapeOk({ type: 'polygon', points, closed: true }), false, JSON.stringify(points));
    });
    it('a polygon with one bad point among good ones is invalid (a pair of one, three, a non-list, a non-finite value)', () => {
      const good: [number, number] = [1, 2];
      for (const p of [[1], [1, 2, 3], [], { 0: 1, 1: 2, length: 2 }, [NaN, 2], [1, Infinity], ['1', 2], [1, null]]) {
        assert.equal(shapeOk({ type: 'polygon', points: [good, p, good], closed: true }), false, JSON.stringify(p));
        assert.equal(shapeOk({ type: 'polygon', points: [p], closed: true }), false, JSON.stringify(p));
      }
    });
    it('an unknown shape type, a missing shape or a shape that is not an object is invalid', () => {
      for (const shape of [{ type: 'circle', x: 1, y: 2 }, { type: 'RECT', x: 1, y: 2, w: 3, h: 4 }, { x: 1, y: 2 }, null, undefined, 'point']) assert.equal(shapeOk(shape), false, JSON.stringify(shape));
      // A function is not data, even with the fields of a point.
      assert.equal(shapeOk(Object.assign(() => 0, { type: 'point', x: 1, y: 2 })), false);
    });
  });

  describe('annotations and answers', () => {
    it('a complete annotation is valid, also with no answers', () => {
      assert.equal(validAnnotation(ann(RECT)), true);
      assert.equal(validAnnotation(ann(RECT, { answers: [] })), true);
      assert.equal(validAnnotation(ann(RECT, { answers: [answer(), answer({ finish: 'length' })] })), true);
    });
    it('nothing, null or a non-object is not an annotation', () => {
      for (const v of [null, undefined, 0, 'a1']) assert.equal(validAnnotation(v), false, String(v));
    });
    it('each of id, label and text must be a string, and frame a number', () => {
      for (const [k, v] of [['id', 1], ['id', undefined], ['label', null], ['label', undefined], ['text', 0], ['text', undefined], ['frame', '0'], ['frame', undefined]] as const) {
        assert.equal(validAnnotation({ ...ann(RECT), [k]: v }), false, `${k}=${String(v)}`);
      }
    });
    it('an annotation with a bad shape is invalid', () => {
      assert.equal(validAnnotation(ann({ type: 'point', x: 1, y: NaN })), false);
    });
    it('answers must be a list', () => {
      for (const answers of [undefined, { 0: answer(), length: 1 }, 'none']) assert.equal(validAnnotation({ ...ann(RECT), answers }), false, String(answers));
    });
    it('one bad answer among good ones makes the annotation invalid: each field of an answer must be a string', () => {
      for (const k of ['prompt', 'text', 'model', 'at', 'finish']) {
        for (const v of [undefined, null, 1, ['x']]) {
          assert.equal(validAnnotation(ann(RECT, { answers: [answer(), { ...answer(), [k]: v } as Answer, answer()] })), false, `${k}=${String(v)}`);
        }
      }
        for (const bad of [null, 'answer']) assert.equal(validAnnotation(ann(RECT, { answers: [answer(), bad as unknown as Answer] })), false, String(bad));
    });
    it('strings have no length limit in the schema: empty and very long ones are accepted', () => {
      const long = 'x'.repeat(100_000);
      assert.equal(validAnnotation(ann(RECT, { id: '', label: '', text: '', answers: [answer({ prompt: '', text: '', model: '', at: '', finish: '' })] })), true);
      assert.equal(validAnnotation(ann(RECT, { id: long, label: long, text: long, answers: [answer({ text: long })] })), true);
    });
  });

  describe('whole files (checkFile)', () => {
    it('a valid file comes back as a new object with the same content', () => {
      const f = fileWith({ imageAnswers: [{ ...answer(), frame: 2 }], view: { frame: 2, window: { center: 40, width: 400 }, ctThreeWindows: true } });
      const got = checkFile(f);
      assert.deepEqual(got, f);
      assert.notEqual(got, f);
    });
    it('a file without image answers gets an empty list of them', () => {
      const { imageAnswers: _gone, ...f } = fileWith();
      assert.deepEqual(checkFile(f), { ...f, imageAnswers: [] });
    });

    const NOT_OURS = 'it is not a MedGemma annotation file';
    it('nothing, null, a list, a string, a number or another schema name is not ours', () => {
      for (const v of [null, undefined, [], 'medgemma-image-annotations', 1, true]) assert.equal(checkFile(v), NOT_OURS, String(v));
      for (const schema of ['medgemma-image-annotation', 'MEDGEMMA-IMAGE-ANNOTATIONS', undefined]) assert.equal(checkFile(fileWith({ schema })), NOT_OURS, schema);
      assert.equal(checkFile(Object.assign(() => 0, fileWith())), NOT_OURS);
    });
    it('version 1 and older are read; 2 and anything above 1 is a newer version, named in the sentence', () => {
      for (const version of [1, 0]) assert.equal(typeof checkFile(fileWith({ version })), 'object', String(version));
      assert.equal(checkFile(fileWith({ version: 2 })), 'it was written by a newer version (schema 2); update the extension');
      assert.equal(checkFile(fileWith({ version: 1.5 })), 'it was written by a newer version (schema 1.5); update the extension');
    });
    // Was a bug: "1" (a string) was reported as "written by a newer version (schema 1); update the
    // extension", which cannot help.
    it('a version that is missing or not a number is refused as such, not as a newer one', () => {
      for (const version of [undefined, null, '1', [1]]) assert.equal(checkFile(fileWith({ version })), 'its schema version is missing or not a number', String(version));
    });

    const BAD_ANN = 'an annotation in it is malformed';
    it('annotations must be a list of valid annotations; an empty list is fine', () => {
      assert.equal(typeof checkFile(fileWith({ annotations: [] })), 'object');
      for (const annotations of [undefined, { 0: ann(RECT), length: 1 }, [ann(RECT), { ...ann(RECT), label: 3 }, ann(RECT)]]) assert.equal(checkFile(fileWith({ annotations })), BAD_ANN);
    });

    const BAD_IMAGE_ANSWER = 'an image answer in it is malformed';
    it('image answers, when present, must be a list of valid answers', () => {
      for (const imageAnswers of [null, {}, [{ ...answer(), frame: 0 }, { ...answer(), at: 5, frame: 0 }]]) assert.equal(checkFile(fileWith({ imageAnswers })), BAD_IMAGE_ANSWER);
      const good = [{ ...answer(), frame: 0 }, { ...answer({ finish: 'cancelled' }), frame: 3 }];
      assert.deepEqual((checkFile(fileWith({ imageAnswers: good })) as AnnotationFile).imageAnswers, good);
    });

    const BAD_VIEW = 'its view settings are malformed';
    it('a view, when present, needs a finite frame, and its window (when present) a finite centre and width', () => {
      assert.equal(typeof checkFile(fileWith({ view: { frame: 0 } })), 'object');
      assert.equal(typeof checkFile(fileWith({ view: { frame: 3, window: { center: -600, width: 1500 } } })), 'object');
      const windows = [null, 'lung', {}, { center: 40 }, { width: 400 }, { center: '40', width: 400 }, { center: 40, width: Infinity }];
      for (const view of [null, 0, false, 'frame 0', {}, { frame: '0' }, { frame: NaN }, { frame: Infinity }, ...windows.map((window) => ({ frame: 0, window }))]) {
        assert.equal(checkFile(fileWith({ view })), BAD_VIEW, JSON.stringify(view) ?? String(view));
      }
    });

    const NO_SIZE = 'its image size is missing';
    it('the image needs a finite width and height; its name and frame count are not checked', () => {
      assert.equal(typeof checkFile(fileWith({ image: { width: 1, height: 1 } })), 'object');
      for (const image of [undefined, null, 'ct.dcm', {}, { width: 512 }, { height: 512 }, { width: '512', height: 512 }, { width: 512, height: NaN }, { width: Infinity, height: 512 }]) {
        assert.equal(checkFile(fileWith({ image })), NO_SIZE, JSON.stringify(image) ?? String(image));
      }
    });

    it('unknown fields at every level are kept as they are, not refused', () => {
      const annotations = [{ ...ann(RECT), shape: { type: 'point', x: 1, y: 2, color: 'red' }, color: 'red', answers: [{ ...answer(), tokens: 12 }] }];
      const [image, view] = [{ file: 'ct.dcm', width: 2, height: 3, frames: 1, dpi: 72 }, { frame: 0, window: { center: 1, width: 2, preset: 'lung' }, zoom: 2 }];
      const text = JSON.stringify({ ...fileWith(), extra: { a: 1 }, image, view, imageAnswers: [{ ...answer(), frame: 0, rating: 5 }], annotations });
      const parsed = JSON.parse(text) as Record<string, unknown>;
      const got = checkFile(parsed);
      assert.deepEqual(got, parsed);
      assert.equal(JSON.stringify(got), text);
    });

    it('a "__proto__" key in the file is kept as plain data: it sets no prototype and supplies no field', () => {
      const text = JSON.stringify(fileWith()).replace(/^\{/, '{"__proto__":{"polluted":true},');
      const got = checkFile(JSON.parse(text)) as unknown as Record<string, unknown>;
      assert.deepEqual([typeof got, Object.getPrototypeOf(got) === Object.prototype, got.polluted, ({} as Record<string, unknown>).polluted], ['object', true, undefined, undefined]);
      assert.deepEqual(Object.getOwnPropertyDescriptor(got, '__proto__')?.value, { polluted: true });
      // Fields given only under "__proto__" do not count.
      assert.equal(checkFile(JSON.parse(`{"__proto__": ${JSON.stringify(fileWith())}}`)), NOT_OURS);
      const annProto = JSON.parse(JSON.stringify(fileWith()).replace('"annotations":[{', '"annotations":[{"__proto__":{"id":"x"},')) as Record<string, unknown>;
      assert.equal(typeof checkFile(annProto), 'object');
      const annOnlyProto = JSON.parse(JSON.stringify(fileWith({ annotations: [] })).replace('"annotations":[]', `"annotations":[{"__proto__":${JSON.stringify(ann(RECT))}}]`)) as unknown;
      assert.equal(checkFile(annOnlyProto), BAD_ANN);
    });
  });
});

describe('images: annotation sidecar on disk, path by path', () => {
  let [dir, image, side] = ['', '', ''];
  const size = { width: 640, height: 480, frames: 2 };
  const empty = () => emptyFile('ct.dcm', 640, 480, 2);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mg-ann-cases-'));
    [image, side] = [join(dir, 'ct.dcm'), join(dir, 'ct.dcm.annotations.json')];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('the sidecar is the image path plus ".annotations.json"; hashes are SHA-256 in hex; the text is JSON indented by 2, ending in a newline', () => {
    assert.deepEqual([sidecarPath('/data/scans/ct.dcm'), sidecarPath('cxr.png')], ['/data/scans/ct.dcm.annotations.json', 'cxr.png.annotations.json']);
    assert.deepEqual([hashText(''), hashText('abc')], ['e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad']);
    const text = '{\n  "schema": "medgemma-image-annotations",\n  "version": 1,\n  "image": {\n    "file": "a.png",\n    "width": 2,\n    "height": 3,\n    "frames": 1\n  },\n  "imageAnswers": [],\n  "annotations": []\n}\n';
    assert.equal(serialize(emptyFile('a.png', 2, 3, 1)), text);
  });

  describe('reading', () => {
    it('no sidecar: an empty file named after the image (not its path), no hash, nothing written', async () => {
      assert.deepEqual(await readSidecar(image, size), { file: empty() });
      assert.deepEqual(readdirSync(dir), []);
    });

    it('a valid sidecar of the same size is returned as stored (its recorded file name kept) with the hash of its text, and left alone', async () => {
      const { imageAnswers: _none, ...stored } = fileWith({ image: { file: 'old.dcm', ...size } });
      const text = JSON.stringify(stored);
      writeFileSync(side, text);
      assert.deepEqual(await readSidecar(image, size), { file: { ...stored, imageAnswers: [] }, hash: hashText(text) });
      assert.deepEqual(readdirSync(dir), ['ct.dcm.annotations.json']);
      assert.equal(readFileSync(side, 'utf8'), text);
    });

    const asidePattern = /^ct\.dcm\.annotations\.json\.unreadable-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z$/;

    /** Reads an unusable sidecar and checks all of what is done with it; returns the reason given. */
    async function keptAside(text: string): Promise<string> {
      writeFileSync(side, text);
      const before = Date.now();
      const r = await readSidecar(image, size);
      const after = Date.now();
      const [, asideName, why] = /^(\S+) \((.*)\)$/.exec(r.movedAside ?? '') ?? assert.fail(String(r.movedAside));
      assert.deepEqual(r, { file: empty(), hash: hashText(text), movedAside: `${asideName} (${why})` });
      const [, d, hh, mm, ss, ms] = asidePattern.exec(asideName) ?? assert.fail(asideName);
      const at = Date.parse(`${d}T${hh}:${mm}:${ss}.${ms}Z`);
      assert.ok(at >= before && at <= after, `${asideName} not between ${before} and ${after}`);
      assert.deepEqual(readdirSync(dir).sort(), ['ct.dcm.annotations.json', asideName].sort());
      assert.equal(readFileSync(join(dir, asideName), 'utf8'), text, 'the copy kept aside differs');
      assert.equal(readFileSync(side, 'utf8'), text, 'the original was changed');
      return why;
    }

    it('text that is not JSON is kept aside (a timestamped copy), the original left as it was', async () => assert.equal(await keptAside('{ "schema": '), 'it is not valid JSON'));
    it('an empty sidecar is not valid JSON either', async () => assert.equal(await keptAside(''), 'it is not valid JSON'));
    for (const [what, text, why] of [
      ['JSON that is not ours', '{"schema":"something-else"}', 'it is not a MedGemma annotation file'],
      ['null', 'null', 'it is not a MedGemma annotation file'],
      ['a sidecar of a newer schema', JSON.stringify(fileWith({ version: 2 })), 'it was written by a newer version (schema 2); update the extension'],
      ['a sidecar with a malformed annotation', JSON.stringify(fileWith({ annotations: [{ id: 'x' }] })), 'an annotation in it is malformed'],
    ]) {
      it(`${what} is kept aside with the reason "${why}"`, async () => assert.equal(await keptAside(text), why));
    }

    it('a second unusable read keeps a second copy, never writing over the first', async () => {
      writeFileSync(side, 'first broken');
      const a = await readSidecar(image, size);
      await new Promise((r) => setTimeout(r, 3)); // a later millisecond: another name
      writeFileSync(side, 'second broken');
      const b = await readSidecar(image, size);
      const names = readdirSync(dir).filter((f) => f.includes('.unreadable-')).sort();
      assert.deepEqual(names.map((f) => readFileSync(join(dir, f), 'utf8')), ['first broken', 'second broken']);
      assert.notEqual(a.movedAside, b.movedAside);
    });

    it('an unusable sidecar whose copy cannot be made (name too long for the folder) is reported unreadable, with no hash, and left alone', async () => {
      // 247 characters fit in a name (255 at most); with ".unreadable-<time>" (36 more) the copy's does not.
      const name = `${'n'.repeat(230)}.dcm`;
      writeFileSync(sidecarPath(join(dir, name)), '{ broken');
      const r = await readSidecar(join(dir, name), size);
      const unreadable = `${name}.annotations.json is not usable (it is not valid JSON) and no copy of it could be kept (ENAMETOOLONG)`;
      assert.deepEqual(r, { file: emptyFile(name, 640, 480, 2), unreadable });
      assert.deepEqual(readdirSync(dir), [`${name}.annotations.json`]);
      assert.equal(readFileSync(sidecarPath(join(dir, name)), 'utf8'), '{ broken');
    });

    for (const [code, words] of [['EACCES', 'permission denied'], ['EPERM', 'permission denied'], ['EROFS', 'EROFS'], [undefined, 'unknown error']] as const) {
      it(`a copy refused with ${code ?? 'no error code'} reads "${words}", and the sidecar is not usable`, async () => {
        writeFileSync(side, JSON.stringify(fileWith({ image: null })));
        const r = await patched('copyFile', failWith(code), () => readSidecar(image, size));
        assert.deepEqual(r, { file: empty(), unreadable: `ct.dcm.annotations.json is not usable (its image size is missing) and no copy of it could be kept (${words})` });
        assert.deepEqual(readdirSync(dir), ['ct.dcm.annotations.json']);
      });

      it(`a sidecar that cannot be read (${code ?? 'no error code'}) reads "${words}", with no hash, and nothing is copied`, async () => {
        writeFileSync(side, JSON.stringify(fileWith()));
        const r = await patched('readFile', failWith(code), () => readSidecar(image, size));
        assert.deepEqual(r, { file: empty(), unreadable: `ct.dcm.annotations.json cannot be read (${words})` });
        assert.deepEqual(readdirSync(dir), ['ct.dcm.annotations.json']);
      });
    }

    it('a copy refused with no error object at all also reads "unknown error"', async () => {
      writeFileSync(side, 'not json');
      assert.deepEqual(await patched('copyFile', () => Promise.reject(undefined), () => readSidecar(image, size)), { file: empty(), unreadable: 'ct.dcm.annotations.json is not usable (it is not valid JSON) and no copy of it could be kept (unknown error)' });
    });

    it('a sidecar path that is a folder is unreadable ("it is a folder") and nothing is copied', async () => {
      mkdirSync(side);
      assert.deepEqual(await readSidecar(image, size), { file: empty(), unreadable: 'ct.dcm.annotations.json cannot be read (it is a folder)' });
      assert.deepEqual(readdirSync(dir), ['ct.dcm.annotations.json']);
    });
  });

  describe('saving', () => {
    const withOne = (): AnnotationFile => ({ ...empty(), annotations: [ann({ type: 'arrow', x1: 1, y1: 2, x2: 3, y2: 4 })] });

    it('with no file on disk and no hash: writes the serialized file and returns the hash of exactly that text', async () => {
      const f = withOne();
      assert.deepEqual(await saveSidecar(image, f, undefined), { saved: true, hash: hashText(serialize(f)) });
      assert.equal(readFileSync(side, 'utf8'), serialize(f));
      assert.deepEqual(readdirSync(dir), ['ct.dcm.annotations.json'], 'a temp file was left behind');
    });

    it('the hash a save returns is the one a read reports, and saving again with it succeeds', async () => {
      const [s1, r] = [await saveSidecar(image, withOne(), undefined), await readSidecar(image, size)];
      assert.equal(r.hash, s1.saved && s1.hash);
      const f2 = { ...withOne(), annotations: [ann(RECT, { text: 'second' })] };
      assert.deepEqual(await saveSidecar(image, f2, r.hash), { saved: true, hash: hashText(serialize(f2)) });
      assert.equal(readFileSync(side, 'utf8'), serialize(f2));
    });

    it('a file changed on disk since the hash is a conflict carrying the text on disk; nothing is written (not forced unless asked)', async () => {
      writeFileSync(side, 'theirs');
      assert.deepEqual(await saveSidecar(image, withOne(), hashText('mine before')), { saved: false, conflict: true, diskText: 'theirs' });
      assert.equal(readFileSync(side, 'utf8'), 'theirs');
      assert.deepEqual(readdirSync(dir), ['ct.dcm.annotations.json']);
    });

    it('a file that appeared on disk when none was there at read time is a conflict too', async () => {
      writeFileSync(side, 'created meanwhile');
      assert.deepEqual(await saveSidecar(image, withOne(), undefined), { saved: false, conflict: true, diskText: 'created meanwhile' });
      assert.equal(readFileSync(side, 'utf8'), 'created meanwhile');
    });

    it('a file deleted on disk since it was read is simply written again', async () => {
      const f = withOne();
      assert.deepEqual(await saveSidecar(image, f, hashText('what was read')), { saved: true, hash: hashText(serialize(f)) });
      assert.equal(readFileSync(side, 'utf8'), serialize(f));
    });

    it('forced: written over a changed file without reading it first', async () => {
      writeFileSync(side, 'theirs');
      const [f, reads] = [withOne(), [] as unknown[]];
      const r = await patched('readFile', (...a) => Promise.resolve(reads.push(a) && 'theirs'), () => saveSidecar(image, f, hashText('other'), true));
      assert.deepEqual([r, reads], [{ saved: true, hash: hashText(serialize(f)) }, []]);
      assert.equal(readFileSync(side, 'utf8'), serialize(f));
    });

    it('replaces the file by rename: a second name for the old file still holds the old text', async () => {
      const f = withOne();
      writeFileSync(side, 'old text');
      linkSync(side, join(dir, 'held'));
      assert.ok((await saveSidecar(image, f, hashText('old text'))).saved);
      assert.equal(readFileSync(join(dir, 'held'), 'utf8'), 'old text');
      assert.equal(readFileSync(side, 'utf8'), serialize(f));
      assert.deepEqual(readdirSync(dir).sort(), ['ct.dcm.annotations.json', 'held']);
    });

    it('a sidecar path that is a folder cannot be saved over: the save fails, the folder stays, no temp file is left', async () => {
      mkdirSync(side);
      writeFileSync(join(side, 'inside'), 'x');
      await assert.rejects(saveSidecar(image, withOne(), undefined), (e: NodeJS.ErrnoException) => e.code === 'EISDIR' || e.code === 'ENOTEMPTY' || e.code === 'EEXIST');
      assert.deepEqual(readdirSync(dir), ['ct.dcm.annotations.json']);
      assert.deepEqual(readdirSync(side), ['inside']);
    });

    it('a save into a folder that does not exist fails with ENOENT', async () => {
      await assert.rejects(saveSidecar(join(dir, 'gone', 'ct.dcm'), withOne(), undefined), { code: 'ENOENT' });
      assert.deepEqual(readdirSync(dir), []);
    });
  });
});

describe('images: COCO export, value by value', () => {
  const NOW = new Date('2026-01-02T03:04:05.678Z');
  /** The export of a single-frame 9x9 image named x with these annotations. */
  const cocoOf = (...annotations: Annotation[]) => toCoco({ ...emptyFile('x', 9, 9, 1), annotations }, 'x', NOW);

  it('an image with no annotations: one image entry, no categories or annotations, the info block', () => {
    const info = { description: 'MedGemma for VS Code annotations', version: '1', date_created: '2026-01-02T03:04:05.678Z' };
    const images = [{ id: 1, file_name: 'cxr.png', width: 64, height: 32 }];
    assert.deepEqual(toCoco(emptyFile('stored-name.png', 64, 32, 1), 'cxr.png', NOW), { info, images, categories: [], annotations: [] });
  });

  it('a multi-frame image with no annotations: one entry for its first frame', () => {
    assert.deepEqual(toCoco(emptyFile('ct.dcm', 64, 32, 2), 'ct.dcm', NOW).images, [{ id: 1, file_name: 'ct.dcm#frame=1', width: 64, height: 32, frame: 0 }]);
  });

  it('the info version is the file version as text; the date defaults to now', () => {
    const f = { ...emptyFile('x', 1, 1, 1), version: 7 };
    assert.equal(toCoco(f, 'x', NOW).info.version, '7');
    const before = Date.now();
    const created = Date.parse(toCoco(f, 'x').info.date_created);
    assert.ok(created >= before && created <= Date.now());
  });

  it('every shape, exactly: ids from 1, boxes, areas, outlines, keypoints, categories; no answers, ids or dates', () => {
    const f = emptyFile('ct.dcm', 512, 512, 1);
    f.annotations = [
      ann({ type: 'rect', x: 10, y: 20, w: 30, h: 40 }, { id: 'r', label: 'nodule', text: 'round' }),
      ann({ type: 'rect', x: 10, y: 20, w: -4, h: -6 }, { id: 'r2', label: ' nodule ', text: '' }),
      ann({ type: 'polygon', points: [[0, 0], [4, 0], [4, 3], [0, 5]], closed: true }, { id: 'p', label: 'effusion' }),
      ann({ type: 'polygon', points: [[0, 5], [4, 3], [4, 0], [0, 0]], closed: true }, { id: 'p-cw', label: '' }),
      ann({ type: 'point', x: 5, y: 6 }, { id: 'pt', label: '   ' }),
      ann({ type: 'arrow', x1: 10, y1: 2, x2: 4, y2: 9 }, { id: 'ar', label: 'effusion' }),
      ann({ type: 'ellipse', cx: 100, cy: 50, rx: -20, ry: 10 }, { id: 'e', label: 'unlabeled' }),
    ];
    const coco = toCoco(f, 'ct.dcm', NOW);
    assert.deepEqual(coco.images, [{ id: 1, file_name: 'ct.dcm', width: 512, height: 512 }]);
    assert.deepEqual(coco.categories, ['nodule', 'effusion', 'unlabeled'].map((name, i) => ({ id: i + 1, name, supercategory: 'finding' })));
    const common = { image_id: 1, iscrowd: 0 };
    assert.deepEqual(coco.annotations, [
      { id: 1, ...common, category_id: 1, bbox: [10, 20, 30, 40], area: 1200, segmentation: [[10, 20, 40, 20, 40, 60, 10, 60]], attributes: { shape: 'rect', text: 'round' } },
      { id: 2, ...common, category_id: 1, bbox: [6, 14, 4, 6], area: 24, segmentation: [[6, 14, 10, 14, 10, 20, 6, 20]], attributes: { shape: 'rect', text: '' } },
      { id: 3, ...common, category_id: 2, bbox: [0, 0, 4, 5], area: 16, segmentation: [[0, 0, 4, 0, 4, 3, 0, 5]], attributes: { shape: 'polygon', text: 'note' } },
      { id: 4, ...common, category_id: 3, bbox: [0, 0, 4, 5], area: 16, segmentation: [[0, 5, 4, 3, 4, 0, 0, 0]], attributes: { shape: 'polygon', text: 'note' } },
      { id: 5, ...common, category_id: 3, bbox: [5, 6, 0, 0], area: 0, segmentation: [], keypoints: [5, 6, 2], num_keypoints: 1, attributes: { shape: 'point', text: 'note' } },
      { id: 6, ...common, category_id: 2, bbox: [4, 2, 6, 7], area: 42, segmentation: [], keypoints: [10, 2, 2, 4, 9, 2], num_keypoints: 2, attributes: { shape: 'arrow', text: 'note' } },
      { id: 7, ...common, category_id: 3, bbox: [80, 40, 40, 20], area: Math.PI * 200,
        // 32 points counter-clockwise from angle 0, to two decimals.
        segmentation: [[120, 50, 119.62, 51.95, 118.48, 53.83, 116.63, 55.56, 114.14, 57.07, 111.11, 58.31, 107.65, 59.24, 103.9, 59.81, 100, 60, 96.1, 59.81, 92.35, 59.24, 88.89, 58.31,
          85.86, 57.07, 83.37, 55.56, 81.52, 53.83, 80.38, 51.95, 80, 50, 80.38, 48.05, 81.52, 46.17, 83.37, 44.44, 85.86, 42.93, 88.89, 41.69, 92.35, 40.76, 96.1, 40.19, 100, 40,
          103.9, 40.19, 107.65, 40.76, 111.11, 41.69, 114.14, 42.93, 116.63, 44.44, 118.48, 46.17, 119.62, 48.05]],
        attributes: { shape: 'ellipse', text: 'note' },
      },
    ]);
    assert.doesNotMatch(JSON.stringify(coco), /"answers"|"prompt"|2026-01-01|"r2"|"p-cw"/);
  });

  it('a closed polygon needs 3 points for an outline and its own area; with 2 it is a box area without outline', () => {
    const coco = cocoOf(ann({ type: 'polygon', points: [[1, 2], [5, 2], [1, 9]], closed: true }), ann({ type: 'polygon', points: [[1, 2], [5, 9]], closed: true }));
    assert.deepEqual(coco.annotations.map((a) => [a.bbox, a.area, a.segmentation]), [[[1, 2, 4, 7], 14, [[1, 2, 5, 2, 1, 9]]], [[1, 2, 4, 7], 28, []]]);
  });

  it('an open polygon has no outline and the area of its box', () => {
    const [a] = cocoOf(ann({ type: 'polygon', points: [[0, 0], [4, 0], [4, 3], [0, 5]], closed: false })).annotations;
    assert.deepEqual([a.bbox, a.area, a.segmentation, 'keypoints' in a], [[0, 0, 4, 5], 20, [], false]);
  });

  it('an ellipse area uses the size of its radii whatever their signs', () => {
    const coco = cocoOf(ann({ type: 'ellipse', cx: 0, cy: 0, rx: 3, ry: -2 }), ann({ type: 'ellipse', cx: 0, cy: 0, rx: -3, ry: -2 }));
    assert.deepEqual(coco.annotations.map((a) => a.area), [Math.PI * 6, Math.PI * 6]);
    // A quarter of the way round (point 8 of 32) is straight below the centre by |ry|, in both.
    assert.deepEqual(coco.annotations.map((a) => a.segmentation[0].slice(16, 18)), [[0, 2], [0, 2]]);
    assert.deepEqual(coco.annotations.map((a) => a.segmentation[0].slice(0, 2)), [[3, 0], [3, 0]]);
  });

  it('categories in order of first use; an empty or blank label is "unlabeled", sharing the category of a label named so', () => {
    const coco = cocoOf(...['b', '', 'a', ' b', 'unlabeled', '\t', 'a '].map((label, i) => ann({ type: 'point', x: i, y: i }, { label })));
    assert.deepEqual(coco.categories.map((c) => [c.id, c.name]), [[1, 'b'], [2, 'unlabeled'], [3, 'a']]);
    assert.deepEqual(coco.annotations.map((a) => a.category_id), [1, 2, 3, 1, 2, 2, 3]);
  });

  it('multi-frame (2 frames is enough): one entry per annotated frame in numeric order, named #frame=N counting from 1', () => {
    const f = emptyFile('stored.dcm', 64, 48, 2);
    f.annotations = [10, 2, 0, 10].map((frame, i) => ann({ type: 'point', x: i, y: i }, { frame }));
    const coco = toCoco(f, 'shown.dcm', NOW);
    assert.deepEqual(coco.images, [
      { id: 1, file_name: 'shown.dcm#frame=1', width: 64, height: 48, frame: 0 },
      { id: 2, file_name: 'shown.dcm#frame=3', width: 64, height: 48, frame: 2 },
      { id: 3, file_name: 'shown.dcm#frame=11', width: 64, height: 48, frame: 10 },
    ]);
    assert.deepEqual(coco.annotations.map((a) => [a.id, a.image_id]), [[1, 3], [2, 2], [3, 1], [4, 3]]);
  });

  it('multi-frame with annotations only on later frames: no entry for frame 1', () => {
    const f = emptyFile('ct.dcm', 8, 8, 40);
    f.annotations = [ann(RECT, { frame: 39 }), ann(RECT, { frame: 5 })];
    const coco = toCoco(f, 'ct.dcm', NOW);
    assert.deepEqual(coco.images.map((im) => [im.id, im.file_name, im.frame]), [[1, 'ct.dcm#frame=6', 5], [2, 'ct.dcm#frame=40', 39]]);
    assert.deepEqual(coco.annotations.map((a) => a.image_id), [2, 1]);
  });

  // Was a bug: checkFile accepts an image without "frames" (only width and height are checked),
  // and toCoco then treated the image as single-frame: annotations on frames 1 and 4 gave two
  // image entries both named "ct.dcm" without a frame, and every annotation pointed at the first.
  it('a sidecar without a frame count keeps each annotated frame of a multi-frame image apart in the export', () => {
    const stored = checkFile({ ...fileWith({ annotations: [ann(RECT, { frame: 0 }), ann(RECT, { frame: 3 })] }), image: { file: 'ct.dcm', width: 8, height: 8 } });
    assert.equal(typeof stored, 'object');
    const coco = toCoco(stored as AnnotationFile, 'ct.dcm', NOW);
    assert.deepEqual(coco.images.map((im) => [im.id, im.file_name, im.frame]), [[1, 'ct.dcm#frame=1', 0], [2, 'ct.dcm#frame=4', 3]]);
    assert.deepEqual(coco.annotations.map((a) => a.image_id), [1, 2]);
  });
});
