// The annotator's decoded-frame cache is bounded in bytes, not only in frames.
import * as assert from 'node:assert/strict';
import { FRAME_CACHE_BYTES, FrameCache } from '../../../src/core/images/frame-cache';
import type { Frame } from '../../../src/core/images/types';

const frame = (bytes: number): Frame => ({ kind: 'rgb', width: bytes / 3, height: 1, data: new Uint8Array(bytes) });

describe('images: decoded-frame cache', () => {
  it('keeps at most its byte budget, dropping the least recently used frames', () => {
    const c = new FrameCache(1000, 9);
    c.set(0, frame(300));
    c.set(1, frame(300));
    c.set(2, frame(300));
    assert.ok(c.get(0)); // 0 is now the most recent
    c.set(3, frame(300));
    assert.equal(c.bytes, 900);
    assert.equal(c.get(1), undefined, 'the least recently used frame went');
    assert.ok(c.get(0) && c.get(2) && c.get(3));
    c.set(4, frame(1500));
    assert.equal(c.get(4), undefined, 'a frame larger than the budget is not kept');
    assert.equal(c.bytes, 900);
    c.set(0, frame(600));
    assert.ok(c.bytes <= 1000, `${c.bytes} bytes`);
  });

  it('nine largest frames (64 MP of float32 each) never add up past the default budget', () => {
    const c = new FrameCache();
    const big: Frame = { kind: 'gray', width: 8192, height: 8192, data: new Float32Array(0) };
    // A stand-in with the byte length of a 64 MP float32 frame, without allocating 256 MB.
    Object.defineProperty(big, 'data', { value: { byteLength: 8192 * 8192 * 4 } });
    for (let i = 0; i < 9; i++) c.set(i, big);
    assert.ok(c.bytes <= FRAME_CACHE_BYTES, `${c.bytes} bytes`);
    assert.equal(c.size, 1);
  });

  it('also keeps at most its frame count', () => {
    const c = new FrameCache(1e9, 3);
    for (let i = 0; i < 5; i++) c.set(i, frame(3));
    assert.equal(c.size, 3);
    assert.equal(c.get(0), undefined);
  });
});
