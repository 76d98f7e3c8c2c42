// Polygon: a click per vertex; a click near the first vertex, a double click or Enter closes it,
// Escape drops it. The edge to the pointer follows it between clicks.
import { addShape } from '../edits';
import { draw } from '../render';
import { state, view } from '../state';
import type { At, Tool } from './tool';

let vertices: [number, number][] | undefined;

export const polygon: Tool = {
  down({ x, y }) {
    vertices ??= [];
    const first = vertices[0];
    if (first && vertices.length > 2 && Math.hypot(x - first[0], y - first[1]) < (8 / state.zoom) * view().scale) {
      finishPolygon();
      return undefined;
    }
    vertices.push([x, y]);
    state.draft = { type: 'polygon', points: [...vertices], closed: false };
    draw();
    return undefined;
  },
};

export const drawingPolygon = (): boolean => vertices !== undefined;

/** The pointer moved with no button down: the open edge follows it. */
export function polygonHover({ x, y }: At): void {
  if (!vertices || state.tool !== 'polygon') return;
  state.draft = { type: 'polygon', points: [...vertices, [x, y]], closed: false };
  draw();
}

export function finishPolygon(): void {
  const pts = vertices;
  vertices = undefined;
  state.draft = undefined;
  if (pts && pts.length >= 3) addShape({ type: 'polygon', points: pts, closed: true });
  else draw();
}

export function dropPolygon(): void {
  vertices = undefined;
}
