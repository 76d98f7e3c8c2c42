// The annotator's geometry (webview-ui/image/geometry.ts, viewport.ts): hit-testing, moving and
// tidying shapes, what a drag draws, and the canvas <-> image coordinate transforms.
import * as assert from 'assert';
import type { Shape } from '../../../src/core/images/annotations/schema';
import { dragged, freehandPolygon, hit, meant, moved, tidy } from '../../../webview-ui/image/geometry';
import { fitted, toImage, toScreen, zoomedAt, type View } from '../../../webview-ui/image/viewport';

const square: Shape = { type: 'polygon', closed: true, points: [[0, 0], [10, 0], [10, 10], [0, 10]] };

describe('annotator geometry', () => {
  it('hits a rectangle drawn in any direction, with the tolerance as slack', () => {
    const r: Shape = { type: 'rect', x: 10, y: 10, w: -5, h: -5 }; // dragged up and left
    assert.strictEqual(hit(r, 7, 7, 0), true);
    assert.strictEqual(hit(r, 11, 7, 0), false);
    assert.strictEqual(hit(r, 11, 7, 1.5), true);
  });

  it('hits inside an ellipse and a closed polygon, and near an open line or an arrow', () => {
    const e: Shape = { type: 'ellipse', cx: 0, cy: 0, rx: 10, ry: 5 };
    assert.strictEqual(hit(e, 9, 0, 0), true);
    assert.strictEqual(hit(e, 9, 4, 0), false);
    assert.strictEqual(hit(square, 5, 5, 0), true);
    assert.strictEqual(hit({ ...square, closed: false }, 5, 5, 1), false, 'an open line is hit only near its segments');
    assert.strictEqual(hit({ ...square, closed: false }, 5, 0.5, 1), true);
    const a: Shape = { type: 'arrow', x1: 0, y1: 0, x2: 10, y2: 0 };
    assert.strictEqual(hit(a, 12, 0, 1), false, 'past the tip');
    assert.strictEqual(hit(a, 5, 0.9, 1), true);
    assert.strictEqual(hit({ type: 'point', x: 3, y: 4 }, 0, 0, 4), true);
  });

  it('moves every kind of shape by the drag and leaves the original alone', () => {
    assert.deepStrictEqual(moved(square, 1, 2), { ...square, points: [[1, 2], [11, 2], [11, 12], [1, 12]] });
    assert.deepStrictEqual(square.points[0], [0, 0]);
    assert.deepStrictEqual(moved({ type: 'arrow', x1: 0, y1: 0, x2: 1, y2: 1 }, -1, 1), { type: 'arrow', x1: -1, y1: 1, x2: 0, y2: 2 });
  });

  it('tidies to 0.1 px with positive sizes', () => {
    assert.deepStrictEqual(tidy({ type: 'rect', x: 10.04, y: 10, w: -5.26, h: 2 }), { type: 'rect', x: 4.8, y: 10, w: 5.3, h: 2 });
    assert.deepStrictEqual(tidy({ type: 'ellipse', cx: 1.06, cy: 2, rx: -3, ry: 4 }), { type: 'ellipse', cx: 1.1, cy: 2, rx: 3, ry: 4 });
  });

  it('a drag draws the tool shape, and only a drag larger than a click is kept', () => {
    assert.deepStrictEqual(dragged('rect', 2, 3, 12, 8), { type: 'rect', x: 2, y: 3, w: 10, h: 5 });
    assert.deepStrictEqual(dragged('ellipse', 0, 0, 10, 4), { type: 'ellipse', cx: 5, cy: 2, rx: 5, ry: 2 });
    assert.deepStrictEqual(dragged('arrow', 1, 1, 4, 5), { type: 'arrow', x1: 1, y1: 1, x2: 4, y2: 5 });
    assert.strictEqual(meant(dragged('rect', 0, 0, 2, 10)), false);
    assert.strictEqual(meant(dragged('rect', 0, 0, -3, -3)), true);
    assert.strictEqual(meant(dragged('ellipse', 0, 0, 2, 10)), false);
    assert.strictEqual(meant(dragged('arrow', 0, 0, 3, 0)), false);
    assert.strictEqual(meant(dragged('arrow', 0, 0, 3, 1)), true);
  });

  it('a freehand stroke keeps every other point and its last; two points are no shape', () => {
    assert.strictEqual(freehandPolygon([[0, 0], [1, 1]]), undefined);
    assert.deepStrictEqual(freehandPolygon([[0, 0], [1, 0], [2, 0], [3, 0]]), { type: 'polygon', closed: true, points: [[0, 0], [2, 0], [3, 0]] });
  });
});

describe('annotator viewport', () => {
  const v: View = { zoom: 2, panX: 10, panY: 20, scale: 4 };

  it('image and screen coordinates are inverse transforms, scale included', () => {
    assert.deepStrictEqual(toScreen(v, 40, 80), [30, 60]);
    assert.deepStrictEqual(toImage(v, 30, 60), [40, 80]);
  });

  it('fit centres the frame with a 4 % margin on its tighter side', () => {
    const f = fitted(200, 100, 100, 100);
    assert.strictEqual(f.zoom, 0.96);
    assert.strictEqual(f.panX, 52);
    assert.strictEqual(f.panY, 2);
  });

  it('wheel zoom keeps the image point under the pointer, within 0.02..64', () => {
    const before = toImage(v, 50, 70);
    const z = zoomedAt(v, 50, 70, -250);
    assert.ok(z.zoom > v.zoom);
    const after = toImage({ ...v, ...z }, 50, 70);
    assert.ok(Math.abs(after[0] - before[0]) < 1e-9 && Math.abs(after[1] - before[1]) < 1e-9);
    assert.strictEqual(zoomedAt(v, 0, 0, 1e6).zoom, 0.02);
    assert.strictEqual(zoomedAt(v, 0, 0, -1e6).zoom, 64);
  });
});
