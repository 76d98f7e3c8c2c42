// Select: click an annotation on this frame (the topmost wins) and drag it to move it.
import { commit, select } from '../edits';
import { hit, moved, tidy } from '../geometry';
import { draw } from '../render';
import { annotations, state, selected, view } from '../state';
import type { Tool } from './tool';

export const selectTool: Tool = {
  down({ x, y }) {
    const tol = (6 / state.zoom) * view().scale;
    const target = [...annotations()].reverse().find((a) => a.frame === state.frameIndex && hit(a.shape, x, y, tol));
    select(target?.id);
    if (!target) return undefined;
    const start = target.shape;
    let pushed = false;
    return {
      move(p) {
        const a = selected();
        if (!a) return;
        if (!pushed) {
          state.history.push(annotations());
          pushed = true;
        }
        a.shape = moved(start, p.x - x, p.y - y);
        draw();
      },
      up() {
        const a = selected();
        if (a && pushed) {
          a.shape = tidy(a.shape);
          a.modified = new Date().toISOString();
          commit();
        }
      },
    };
  },
};
