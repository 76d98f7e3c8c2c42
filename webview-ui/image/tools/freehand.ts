// Freehand: the stroke becomes a closed polygon (every other point kept).
import { addShape } from '../edits';
import { freehandPolygon } from '../geometry';
import { draw } from '../render';
import { state } from '../state';
import type { Tool } from './tool';

export const freehand: Tool = {
  down({ x, y }) {
    const points: [number, number][] = [[x, y]];
    return {
      move(p) {
        points.push([p.x, p.y]);
        state.draft = { type: 'polygon', points, closed: false };
        draw();
      },
      up() {
        state.draft = undefined;
        const shape = freehandPolygon(points);
        if (shape) addShape(shape);
        else draw();
      },
    };
  },
};
