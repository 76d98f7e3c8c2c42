// COCO JSON export of one image's annotations (instances format). Only geometry, labels and
// the file name go out: no header data, no patient identifiers, no model answers.

import { type AnnotationFile, bbox } from './schema';

export interface CocoExport {
  info: { description: string; version: string; date_created: string };
  images: { id: number; file_name: string; width: number; height: number; frame?: number }[];
  categories: { id: number; name: string; supercategory: string }[];
  annotations: {
    id: number;
    image_id: number;
    category_id: number;
    bbox: [number, number, number, number];
    area: number;
    iscrowd: 0;
    segmentation: number[][];
    keypoints?: number[];
    num_keypoints?: number;
    attributes: { shape: string; text: string };
  }[];
}

function polygonArea(p: [number, number][]): number {
  let a = 0;
  for (let i = 0; i < p.length; i++) {
    const [x1, y1] = p[i];
    const [x2, y2] = p[(i + 1) % p.length];
    a += x1 * y2 - x2 * y1;
  }
  return Math.abs(a) / 2;
}

export function toCoco(file: AnnotationFile, fileName: string, now = new Date()): CocoExport {
  const frames = [...new Set(file.annotations.map((a) => a.frame))].sort((a, b) => a - b);
  if (!frames.length) frames.push(0);
  // A sidecar written elsewhere may lack the frame count: an annotation past frame 1 says it too.
  const multi = file.image.frames > 1 || frames.some((f) => f !== 0);
  const images = frames.map((f, i) => ({
    id: i + 1,
    file_name: multi ? `${fileName}#frame=${f + 1}` : fileName,
    width: file.image.width,
    height: file.image.height,
    ...(multi ? { frame: f } : {}),
  }));
  const names = [...new Set(file.annotations.map((a) => a.label.trim() || 'unlabeled'))];
  const categories = names.map((name, i) => ({ id: i + 1, name, supercategory: 'finding' }));
  const annotations = file.annotations.map((a, i) => {
    const [x, y, w, h] = bbox(a.shape);
    let segmentation: number[][] = [];
    let area = w * h;
    const s = a.shape;
    if (s.type === 'rect') segmentation = [[x, y, x + w, y, x + w, y + h, x, y + h]];
    else if (s.type === 'ellipse') {
      const pts: number[] = [];
      for (let k = 0; k < 32; k++) {
        const t = (k / 32) * 2 * Math.PI;
        pts.push(s.cx + Math.abs(s.rx) * Math.cos(t), s.cy + Math.abs(s.ry) * Math.sin(t));
      }
      segmentation = [pts.map((v) => Math.round(v * 100) / 100)];
      area = Math.PI * Math.abs(s.rx * s.ry);
    } else if (s.type === 'polygon' && s.closed && s.points.length >= 3) {
      segmentation = [s.points.flat()];
      area = polygonArea(s.points);
    }
    const base = {
      id: i + 1,
      image_id: images.find((im) => (im.frame ?? 0) === (multi ? a.frame : 0))?.id ?? 1,
      category_id: names.indexOf(a.label.trim() || 'unlabeled') + 1,
      bbox: [x, y, w, h] as [number, number, number, number],
      area,
      iscrowd: 0 as const,
      segmentation,
      attributes: { shape: s.type, text: a.text },
    };
    if (s.type === 'point') return { ...base, keypoints: [s.x, s.y, 2], num_keypoints: 1 };
    if (s.type === 'arrow') return { ...base, keypoints: [s.x1, s.y1, 2, s.x2, s.y2, 2], num_keypoints: 2 };
    return base;
  });
  return {
    info: { description: 'MedGemma for VS Code annotations', version: String(file.version), date_created: now.toISOString() },
    images,
    categories,
    annotations,
  };
}
