// The image behind a sidecar changed size (replaced by a resized or cropped copy, frames
// removed): the annotations are kept as drawn, the recorded size becomes the image's, and what
// changed is said in words so the annotator can warn before anyone relies on a region.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyFile } from '../../../src/core/images/annotations/schema';
import { hashText, readSidecar, sizeChange } from '../../../src/core/images/annotations/sidecar';

const annotation = { id: 'a1', frame: 0, shape: { type: 'rect', x: 1, y: 2, w: 3, h: 4 }, label: 'nodule', text: '', answers: [], created: '2026-01-01T00:00:00Z', modified: '2026-01-01T00:00:00Z' };
const fileWith = (over: Record<string, unknown>): Record<string, unknown> => ({ ...emptyFile('ct.dcm', 512, 256, 1), annotations: [annotation], ...over });

describe('images: a sidecar whose image changed size', () => {
  const size = { width: 640, height: 480, frames: 2 };
  let dir: string;
  let image: string;
  let side: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mg-ann-size-'));
    [image, side] = [join(dir, 'ct.dcm'), join(dir, 'ct.dcm.annotations.json')];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('a sidecar drawn on an image of another size: the annotations kept as drawn, the size made the image\'s, what changed said, the file on disk left alone', async () => {
      const stored = fileWith({ image: { file: 'old.dcm', width: 10, height: 20, frames: 1 } });
      const text = JSON.stringify(stored);
      writeFileSync(side, text);
      assert.deepEqual(await readSidecar(image, size), {
        file: { ...stored, image: { file: 'old.dcm', ...size } },
        hash: hashText(text),
        sizeChanged: `they were drawn on a 10×20 image and this one is ${size.width}×${size.height}; the image had 1 frame and now has ${size.frames}`,
      });
      assert.equal(readFileSync(side, 'utf8'), text);
    });

    it('what changed, in words: width or height alone, frames alone (never when the count was not recorded), annotations on frames the image lacks', () => {
      const now = { width: 100, height: 50, frames: 3 };
      assert.equal(sizeChange({ ...now }, now, [{ frame: 0 }, { frame: 2 }]), undefined);
      assert.equal(sizeChange({ width: 101, height: 50, frames: 3 }, now, []), 'they were drawn on a 101×50 image and this one is 100×50');
      assert.equal(sizeChange({ width: 100, height: 49, frames: 3 }, now, []), 'they were drawn on a 100×49 image and this one is 100×50');
      assert.equal(sizeChange({ width: 100, height: 50 }, now, []), undefined);
      assert.equal(sizeChange({ width: 100, height: 50, frames: 4 }, now, [{ frame: 2 }]), 'the image had 4 frames and now has 3');
      assert.equal(
        sizeChange({ width: 100, height: 50, frames: 5 }, now, [{ frame: 3 }, { frame: 2 }]),
        'the image had 5 frames and now has 3; 1 annotation is on a frame this image does not have (kept in the file, not shown)',
      );
      assert.equal(
        sizeChange({ width: 100, height: 50 }, { ...now, frames: 1 }, [{ frame: 1 }, { frame: 7 }, { frame: 0 }]),
        '2 annotations are on a frame this image does not have (kept in the file, not shown)',
      );
    });
});
