// Pan: drag the image (also the middle button, or Space held, with any tool).
import { draw } from '../render';
import { state } from '../state';
import type { Tool } from './tool';

export const pan: Tool = {
  down({ sx, sy }) {
    const px = state.panX;
    const py = state.panY;
    return {
      move(p) {
        state.panX = px + p.sx - sx;
        state.panY = py + p.sy - sy;
        draw();
      },
    };
  },
};
