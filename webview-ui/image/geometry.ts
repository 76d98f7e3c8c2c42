// Hit-testing and moving shapes, in image pixel coordinates.

import type { Shape } from '../../src/core/images/annotations/schema';

function distToSegment(px: number, py: number, x1: number, y1: number, x2: number, y2: number): number {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const l = dx * dx + dy * dy;
  const t = l ? Math.max(0, Math.min(1, ((px - x1) * dx + (py - y1) * dy) / l)) : 0;
  return Math.hypot(px - (x1 + t * dx), py - (y1 + t * dy));
}

function inPolygon(x: number, y: number, pts: [number, number][]): boolean {
  let inside = false;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const [xi, yi] = pts[i];
    const [xj, yj] = pts[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** true when (x, y) is on or inside the shape, with `tol` image pixels of slack. */
export function hit(s: Shape, x: number, y: number, tol: number): boolean {
  switch (s.type) {
    case 'rect': {
      const x0 = Math.min(s.x, s.x + s.w);
      const y0 = Math.min(s.y, s.y + s.h);
      return x >= x0 - tol && x <= x0 + Math.abs(s.w) + tol && y >= y0 - tol && y <= y0 + Math.abs(s.h) + tol;
    }
    case 'ellipse': {
      const rx = Math.abs(s.rx) + tol;
      const ry = Math.abs(s.ry) + tol;
      return ((x - s.cx) / rx) ** 2 + ((y - s.cy) / ry) ** 2 <= 1;
    }
    case 'polygon':
      if (s.closed && s.points.length > 2 && inPolygon(x, y, s.points)) return true;
      return s.points.some((p, i) => i > 0 && distToSegment(x, y, s.points[i - 1][0], s.points[i - 1][1], p[0], p[1]) <= tol);
    case 'arrow':
      return distToSegment(x, y, s.x1, s.y1, s.x2, s.y2) <= tol;
    case 'point':
      return Math.hypot(x - s.x, y - s.y) <= tol * 1.5;
  }
}

export function moved(s: Shape, dx: number, dy: number): Shape {
  switch (s.type) {
    case 'rect':
      return { ...s, x: s.x + dx, y: s.y + dy };
    case 'ellipse':
      return { ...s, cx: s.cx + dx, cy: s.cy + dy };
    case 'polygon':
      return { ...s, points: s.points.map(([x, y]) => [x + dx, y + dy] as [number, number]) };
    case 'arrow':
      return { ...s, x1: s.x1 + dx, y1: s.y1 + dy, x2: s.x2 + dx, y2: s.y2 + dy };
    case 'point':
      return { ...s, x: s.x + dx, y: s.y + dy };
  }
}

/** Rounds coordinates to 0.1 px so the sidecar stays readable. */
export function tidy(s: Shape): Shape {
  const r = (v: number) => Math.round(v * 10) / 10;
  switch (s.type) {
    case 'rect': {
      const x = Math.min(s.x, s.x + s.w);
      const y = Math.min(s.y, s.y + s.h);
      return { type: 'rect', x: r(x), y: r(y), w: r(Math.abs(s.w)), h: r(Math.abs(s.h)) };
    }
    case 'ellipse':
      return { type: 'ellipse', cx: r(s.cx), cy: r(s.cy), rx: r(Math.abs(s.rx)), ry: r(Math.abs(s.ry)) };
    case 'polygon':
      return { type: 'polygon', closed: s.closed, points: s.points.map(([x, y]) => [r(x), r(y)] as [number, number]) };
    case 'arrow':
      return { type: 'arrow', x1: r(s.x1), y1: r(s.y1), x2: r(s.x2), y2: r(s.y2) };
    case 'point':
      return { type: 'point', x: r(s.x), y: r(s.y) };
  }
}

/** The shape a drag from (x0, y0) to (x, y) draws with the rectangle, ellipse or arrow tool. */
export function dragged(type: 'rect' | 'ellipse' | 'arrow', x0: number, y0: number, x: number, y: number): Shape {
  if (type === 'rect') return { type: 'rect', x: x0, y: y0, w: x - x0, h: y - y0 };
  if (type === 'ellipse') return { type: 'ellipse', cx: (x0 + x) / 2, cy: (y0 + y) / 2, rx: (x - x0) / 2, ry: (y - y0) / 2 };
  return { type: 'arrow', x1: x0, y1: y0, x2: x, y2: y };
}

/** A dragged shape large enough to be meant (a click is not a rectangle). */
export function meant(s: Shape): boolean {
  if (s.type === 'rect') return Math.abs(s.w) > 2 && Math.abs(s.h) > 2;
  if (s.type === 'ellipse') return Math.abs(s.rx) > 1 && Math.abs(s.ry) > 1;
  if (s.type === 'arrow') return Math.hypot(s.x2 - s.x1, s.y2 - s.y1) > 3;
  return true;
}

/** A freehand stroke as a closed polygon: every other point (the last kept), or none if too short. */
export function freehandPolygon(points: [number, number][]): Shape | undefined {
  if (points.length <= 2) return undefined;
  return { type: 'polygon', points: points.filter((_, i) => i % 2 === 0 || i === points.length - 1), closed: true };
}
