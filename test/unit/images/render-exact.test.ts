// Pixel-exact rendering and export: the DICOM linear VOI function at every grey level (an
// off-by-one shifts a whole image), MONOCHROME1 inversion without dcmtk, Google's three CT
// windows in R/G/B (also through `medgemma image render --ct-windows`), and COCO image ids of a
// multi-frame image.
import * as assert from 'node:assert/strict';
import { toCoco } from '../../../src/core/images/annotations/coco';
import { type Annotation, emptyFile } from '../../../src/core/images/annotations/schema';
import type { Frame } from '../../../src/core/images/types';
import { CT_THREE_WINDOWS, renderRgb, voi } from '../../../src/core/images/window';

/** DICOM PS3.3 C.11.2.1.2.1, written from the standard: y in 0..255, rounded. */
function dicomLinear(x: number, c: number, w: number): number {
  if (x <= c - 0.5 - (w - 1) / 2) return 0;
  if (x > c - 0.5 + (w - 1) / 2) return 255;
  return Math.round(((x - (c - 0.5)) / (w - 1) + 0.5) * 255);
}

const greyFrame = (values: number[]): Frame => ({ kind: 'gray', width: values.length, height: 1, data: Float32Array.from(values) });

describe('images: exact rendering', () => {
  it('the window follows the DICOM linear function at every value across it', () => {
    for (const [c, w] of [[40, 400], [-600, 1500], [127.5, 256], [0, 2], [1000, 4095]]) {
      const f = voi({ center: c, width: w }, false);
      const inv = voi({ center: c, width: w }, true);
      for (let x = c - w / 2 - 3; x <= c + w / 2 + 3; x += w / 97) {
        assert.equal(f(x), dicomLinear(x, c, w), `c ${c} w ${w} x ${x}`);
        assert.equal(inv(x), 255 - dicomLinear(x, c, w), `inverted: c ${c} w ${w} x ${x}`);
      }
    }
  });

  it('a 0..255 window maps each stored value to itself', () => {
    const f = voi({ center: 128, width: 256 }, false);
    for (let v = 0; v < 256; v++) assert.equal(f(v), v);
  });

  it('MONOCHROME1 renders dark where MONOCHROME2 renders bright, level by level', () => {
    const frame = greyFrame([0, 64, 128, 192, 255]);
    const normal = renderRgb(frame, { window: { center: 128, width: 256 } });
    const inverted = renderRgb(frame, { window: { center: 128, width: 256 }, invert: true });
    assert.deepEqual([...normal].filter((_, i) => i % 3 === 0), [0, 64, 128, 192, 255]);
    assert.deepEqual([...inverted].filter((_, i) => i % 3 === 0), [255, 191, 127, 63, 0]);
  });

  it("Google's CT recipe: -1024..1024, -135..215 and 0..80 HU in R, G and B", () => {
    assert.deepEqual(CT_THREE_WINDOWS, [[-1024, 1024], [-135, 215], [0, 80]]);
    const hu = [-1100, -500, -135, 0, 40, 80, 215, 500, 1100];
    const rgb = renderRgb(greyFrame(hu), { ctThreeWindows: true, window: { center: 40, width: 400 } });
    hu.forEach((v, i) => {
      const expected = CT_THREE_WINDOWS.map(([a, b]) => dicomLinear(v, (a + b) / 2, b - a));
      assert.deepEqual([rgb[i * 3], rgb[i * 3 + 1], rgb[i * 3 + 2]], expected, `${v} HU`);
    });
    // Soft tissue (40 HU) is mid-grey in R, bright in G, half-way in B: the channels differ.
    assert.ok(rgb[4 * 3] !== rgb[4 * 3 + 1] && rgb[4 * 3 + 1] !== rgb[4 * 3 + 2]);
  });
});

describe('images: COCO export of a multi-frame image', () => {
  const ann = (id: string, frame: number): Annotation => ({
    id,
    frame,
    shape: { type: 'rect', x: 1, y: 2, w: 3, h: 4 },
    label: 'lesion',
    text: '',
    answers: [],
    created: '2026-01-01T00:00:00Z',
    modified: '2026-01-01T00:00:00Z',
  });

  it('one image entry per annotated frame, and each annotation points at its own frame', () => {
    const file = emptyFile('ct.dcm', 64, 64, 5);
    file.annotations = [ann('a', 3), ann('b', 0), ann('c', 3), ann('d', 4)];
    const coco = toCoco(file, 'ct.dcm', new Date('2026-01-01'));
    assert.deepEqual(coco.images.map((im) => [im.id, im.file_name, (im as { frame?: number }).frame]), [
      [1, 'ct.dcm#frame=1', 0],
      [2, 'ct.dcm#frame=4', 3],
      [3, 'ct.dcm#frame=5', 4],
    ]);
    assert.deepEqual(coco.annotations.map((a) => a.image_id), [2, 1, 2, 3]);
  });

  it('a single-frame image has one entry without a frame', () => {
    const file = emptyFile('cxr.png', 64, 64, 1);
    file.annotations = [ann('a', 0)];
    const coco = toCoco(file, 'cxr.png', new Date('2026-01-01'));
    assert.deepEqual(coco.images.map((im) => [im.id, im.file_name, 'frame' in im]), [[1, 'cxr.png', false]]);
    assert.deepEqual(coco.annotations.map((a) => a.image_id), [1]);
  });
});
