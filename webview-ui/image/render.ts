// Drawing the canvas: the frame through the current window, then the annotations and the shape
// being drawn, at most once per animation frame.

import type { Shape } from '../../src/core/images/annotations/schema';
import { renderInto } from '../../src/core/images/window';
import { base, canvas, stage, status, wcIn, wwIn } from './dom';
import { annotations, currentFrame, state, view } from './state';
import { fitted, toScreen } from './viewport';

const screen = (x: number, y: number) => toScreen(view(), x, y);

/** Renders the current frame through the window into the offscreen canvas. */
export function renderBase(): void {
  const f = currentFrame();
  if (!f || !state.info) return;
  if (base.width !== f.width || base.height !== f.height) {
    base.width = f.width;
    base.height = f.height;
  }
  const ctx = base.getContext('2d')!;
  const img = ctx.createImageData(f.width, f.height);
  renderInto(f, { window: state.window, invert: state.info.invert, ctThreeWindows: state.ct3 }, img.data, 4);
  ctx.putImageData(img, 0, 0);
  wcIn.value = state.window ? String(Math.round(state.window.center * 10) / 10) : '';
  wwIn.value = state.window ? String(Math.round(state.window.width * 10) / 10) : '';
}

export function fit(): void {
  const f = currentFrame();
  if (!f) return;
  const r = stage.getBoundingClientRect();
  Object.assign(state, fitted(r.width, r.height, f.width, f.height));
  draw();
}

let drawQueued = false;
export function draw(): void {
  if (drawQueued) return;
  drawQueued = true;
  requestAnimationFrame(() => {
    drawQueued = false;
    drawNow();
  });
}

function drawNow(): void {
  const r = stage.getBoundingClientRect();
  const dpr = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(r.width * dpr) || canvas.height !== Math.round(r.height * dpr)) {
    canvas.width = Math.round(r.width * dpr);
    canvas.height = Math.round(r.height * dpr);
    canvas.style.width = `${r.width}px`;
    canvas.style.height = `${r.height}px`;
  }
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, r.width, r.height);
  if (!currentFrame()) return;
  ctx.imageSmoothingEnabled = state.zoom < 1;
  ctx.drawImage(base, state.panX, state.panY, base.width * state.zoom, base.height * state.zoom);
  ctx.lineWidth = 2;
  ctx.font = '12px sans-serif';
  for (const a of annotations()) {
    if (a.frame !== state.frameIndex) continue;
    const sel = a.id === state.selected;
    ctx.strokeStyle = sel ? '#ffd000' : '#29b6f6';
    ctx.lineWidth = sel ? 3 : 2;
    strokeShape(ctx, a.shape);
    const label = a.label || (a.answers.length ? '💬' : '');
    if (label) {
      const [x, y] = labelAnchor(a.shape);
      ctx.fillStyle = 'rgba(0,0,0,0.6)';
      const w = ctx.measureText(label).width + 6;
      ctx.fillRect(x, y - 16, w, 16);
      ctx.fillStyle = sel ? '#ffd000' : '#ffffff';
      ctx.fillText(label, x + 3, y - 4);
    }
  }
  if (state.draft) {
    ctx.strokeStyle = '#ff7043';
    ctx.setLineDash([6, 4]);
    strokeShape(ctx, state.draft);
    ctx.setLineDash([]);
  }
}

function strokeShape(ctx: CanvasRenderingContext2D, s: Shape): void {
  ctx.beginPath();
  const k = state.zoom / view().scale;
  switch (s.type) {
    case 'rect': {
      const [x, y] = screen(s.x, s.y);
      ctx.rect(x, y, s.w * k, s.h * k);
      break;
    }
    case 'ellipse': {
      const [x, y] = screen(s.cx, s.cy);
      ctx.ellipse(x, y, Math.abs(s.rx) * k, Math.abs(s.ry) * k, 0, 0, 2 * Math.PI);
      break;
    }
    case 'polygon':
      s.points.forEach(([px, py], i) => {
        const [x, y] = screen(px, py);
        if (i) ctx.lineTo(x, y);
        else ctx.moveTo(x, y);
      });
      if (s.closed) ctx.closePath();
      break;
    case 'arrow': {
      const [x1, y1] = screen(s.x1, s.y1);
      const [x2, y2] = screen(s.x2, s.y2);
      ctx.moveTo(x1, y1);
      ctx.lineTo(x2, y2);
      const a = Math.atan2(y2 - y1, x2 - x1);
      ctx.moveTo(x2, y2);
      ctx.lineTo(x2 - 12 * Math.cos(a - 0.4), y2 - 12 * Math.sin(a - 0.4));
      ctx.moveTo(x2, y2);
      ctx.lineTo(x2 - 12 * Math.cos(a + 0.4), y2 - 12 * Math.sin(a + 0.4));
      break;
    }
    case 'point': {
      const [x, y] = screen(s.x, s.y);
      ctx.arc(x, y, 4, 0, 2 * Math.PI);
      ctx.moveTo(x - 9, y);
      ctx.lineTo(x + 9, y);
      ctx.moveTo(x, y - 9);
      ctx.lineTo(x, y + 9);
      break;
    }
  }
  ctx.stroke();
}

function labelAnchor(s: Shape): [number, number] {
  switch (s.type) {
    case 'rect':
      return screen(s.x, s.y);
    case 'ellipse':
      return screen(s.cx - Math.abs(s.rx), s.cy - Math.abs(s.ry));
    case 'polygon':
      return screen(s.points[0][0], s.points[0][1]);
    case 'arrow':
      return screen(s.x1, s.y1);
    case 'point':
      return screen(s.x + 6, s.y);
  }
}

/** The status line: image, size, window, zoom, and what the pointer is over. */
export function setStatus(extra = ''): void {
  const f = currentFrame();
  const info = state.info;
  if (!f || !info) return;
  const w = state.window && f.kind === 'gray' ? `C ${Math.round(state.window.center)} / W ${Math.round(state.window.width)}` : 'colour';
  status.textContent = `${state.name} · ${info.width}×${info.height}${info.scale > 1 ? ` (shown ${f.width}×${f.height})` : ''} · ${w} · zoom ${Math.round(state.zoom * 100)}%${extra ? ` · ${extra}` : ''}`;
}
