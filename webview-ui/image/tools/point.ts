// Point: a click marks a point.
import { addShape } from '../edits';
import type { Tool } from './tool';

export const point: Tool = {
  down({ x, y }) {
    addShape({ type: 'point', x, y });
    return undefined;
  },
};
