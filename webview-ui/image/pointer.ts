// The canvas under the pointer: the press goes to the tool in hand (the middle button or Space
// pans, the right button sets the window), the wheel zooms about the pointer, and the status
// line shows the pixel value under it.

import { canvas } from './dom';
import { draw, setStatus } from './render';
import { currentFrame, state, view } from './state';
import { TOOL_FOR } from './tools';
import { pan } from './tools/pan';
import { drawingPolygon, finishPolygon, polygonHover } from './tools/polygon';
import type { At, Gesture } from './tools/tool';
import { windowLevel } from './tools/window-level';
import { toImage, zoomedAt } from './viewport';

let gesture: Gesture | undefined;
/** Space is held: the pointer pans, whatever the tool. */
export const keys = { spaceDown: false };

function at(e: MouseEvent): At {
  const r = canvas.getBoundingClientRect();
  const sx = e.clientX - r.left;
  const sy = e.clientY - r.top;
  const [x, y] = toImage(view(), sx, sy);
  return { sx, sy, x, y };
}

/** "x, y: value" of the stored pixel under the pointer, when it is on the image. */
function pixelReadout({ x, y }: At): string | undefined {
  const f = currentFrame();
  if (!f) return undefined;
  const ix = Math.floor(x / view().scale);
  const iy = Math.floor(y / view().scale);
  if (ix < 0 || iy < 0 || ix >= f.width || iy >= f.height) return undefined;
  const i = iy * f.width + ix;
  const v = f.kind === 'gray' ? `value ${Math.round(f.data[i] * 100) / 100}` : `RGB ${Array.from(f.data.subarray(i * 3, i * 3 + 3)).join(',')}`;
  return `x ${Math.floor(x)}, y ${Math.floor(y)}: ${v}`;
}

export function listenPointer(): void {
  canvas.addEventListener('contextmenu', (e) => e.preventDefault());
  canvas.addEventListener('pointerdown', (e) => {
    canvas.focus();
    canvas.setPointerCapture(e.pointerId);
    const tool = e.button === 1 || state.tool === 'pan' || keys.spaceDown ? pan : e.button === 2 || state.tool === 'window' ? windowLevel : TOOL_FOR[state.tool];
    gesture = tool.down(at(e));
  });
  canvas.addEventListener('pointermove', (e) => {
    const p = at(e);
    const readout = pixelReadout(p);
    if (readout) setStatus(readout);
    if (gesture) gesture.move(p);
    else polygonHover(p);
  });
  canvas.addEventListener('pointerup', () => {
    const g = gesture;
    gesture = undefined;
    g?.up?.();
  });
  canvas.addEventListener('dblclick', () => {
    if (state.tool === 'polygon' && drawingPolygon()) finishPolygon();
  });
  canvas.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      const { sx, sy } = at(e);
      Object.assign(state, zoomedAt(view(), sx, sy, e.deltaY));
      draw();
      setStatus();
    },
    { passive: false },
  );
}
