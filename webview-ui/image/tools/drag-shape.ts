// Rectangle, ellipse and arrow: drag from one corner (or the tail) to the other.
import { addShape } from '../edits';
import { dragged, meant } from '../geometry';
import { draw } from '../render';
import { state } from '../state';
import type { Tool } from './tool';

function dragShape(type: 'rect' | 'ellipse' | 'arrow'): Tool {
  return {
    down({ x: x0, y: y0 }) {
      return {
        move({ x, y }) {
          state.draft = dragged(type, x0, y0, x, y);
          draw();
        },
        up() {
          const s = state.draft;
          if (!s) return;
          state.draft = undefined;
          if (meant(s)) addShape(s);
          else draw();
        },
      };
    },
  };
}

export const rect = dragShape('rect');
export const ellipse = dragShape('ellipse');
export const arrow = dragShape('arrow');
