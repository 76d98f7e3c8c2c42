// Pan: drag the image (also the middle button, or Space held, with any tool).
import { draw } from '../render';
import { S } from '../state';
import type { Tool } from './tool';

export const pan: Tool = {
  down({ sx, sy }) {
    const px = S.panX;
    const py = S.panY;
    return {
      move(p) {
        S.panX = px + p.sx - sx;
        S.panY = py + p.sy - sy;
        draw();
      },
    };
  },
};
