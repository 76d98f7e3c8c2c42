// Decoded frames kept for a multi-frame image, bounded in bytes as well as in count: one frame
// can be 256 MB (64 MP of float32), so a count alone would let nine of them pile up.

import type { Frame } from './types';

/** Bytes of decoded frames one open image keeps (one largest frame fits). */
export const FRAME_CACHE_BYTES = 256 * 1024 * 1024;
/** Frames one open image keeps at most. */
export const FRAME_CACHE_COUNT = 9;

export class FrameCache {
  private readonly frames = new Map<number, Frame>();
  private total = 0;

  constructor(
    readonly maxBytes = FRAME_CACHE_BYTES,
    readonly maxFrames = FRAME_CACHE_COUNT,
  ) {}

  /** Bytes held now. */
  get bytes(): number {
    return this.total;
  }

  get size(): number {
    return this.frames.size;
  }

  /** The frame, now the most recently used one. */
  get(index: number): Frame | undefined {
    const f = this.frames.get(index);
    if (f) {
      this.frames.delete(index);
      this.frames.set(index, f);
    }
    return f;
  }

  /** Keeps the frame, dropping the least recently used ones to make room; a frame larger than the whole budget is not kept. */
  set(index: number, frame: Frame): void {
    this.delete(index);
    const size = frame.data.byteLength;
    if (size > this.maxBytes) return;
    while (this.frames.size && (this.total + size > this.maxBytes || this.frames.size >= this.maxFrames)) this.delete(this.frames.keys().next().value!);
    this.frames.set(index, frame);
    this.total += size;
  }

  clear(): void {
    this.frames.clear();
    this.total = 0;
  }

  private delete(index: number): void {
    const f = this.frames.get(index);
    if (!f) return;
    this.frames.delete(index);
    this.total -= f.data.byteLength;
  }
}
