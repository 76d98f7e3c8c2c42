// Coordinates of the canvas view: image pixels as stored (annotations are in these) and the
// canvas's CSS pixels. `scale` is how much larger the stored image is than the frame shown.

export interface View {
  zoom: number;
  panX: number;
  panY: number;
  scale: number;
}

/** Image (stored) pixels -> canvas CSS pixels. */
export function toScreen(v: View, x: number, y: number): [number, number] {
  return [(x / v.scale) * v.zoom + v.panX, (y / v.scale) * v.zoom + v.panY];
}

/** Canvas CSS pixels -> image (stored) pixels. */
export function toImage(v: View, sx: number, sy: number): [number, number] {
  return [((sx - v.panX) / v.zoom) * v.scale, ((sy - v.panY) / v.zoom) * v.scale];
}

/** Zoom and pan that show the whole frame centred in the stage, with a small margin. */
export function fitted(stageW: number, stageH: number, frameW: number, frameH: number): Pick<View, 'zoom' | 'panX' | 'panY'> {
  const zoom = Math.min(stageW / frameW, stageH / frameH) * 0.96;
  return { zoom, panX: (stageW - frameW * zoom) / 2, panY: (stageH - frameH * zoom) / 2 };
}

/** Wheel zoom about the pointer: the image point under it stays under it. Zoom stays in 0.02..64. */
export function zoomedAt(v: View, sx: number, sy: number, deltaY: number): Pick<View, 'zoom' | 'panX' | 'panY'> {
  const zoom = Math.max(0.02, Math.min(64, v.zoom * Math.exp(-deltaY / 500)));
  return { zoom, panX: sx - ((sx - v.panX) * zoom) / v.zoom, panY: sy - ((sy - v.panY) * zoom) / v.zoom };
}
