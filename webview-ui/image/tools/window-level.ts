// Window/level: drag horizontally for width, vertically for centre (also the right button).
import { dragWindow } from '../../../src/core/images/window';
import { presetSel } from '../dom';
import { setWindow } from '../frames';
import { currentFrame, state } from '../state';
import type { Tool } from './tool';

export const windowLevel: Tool = {
  down({ sx, sy }) {
    const start = state.window;
    if (currentFrame()?.kind !== 'gray' || !start) return undefined;
    return {
      move(p) {
        setWindow(dragWindow(start, p.sx - sx, p.sy - sy, state.span));
        presetSel.value = '';
      },
    };
  },
};
