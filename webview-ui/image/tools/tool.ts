// A drawing or viewing tool: a pointer press starts a gesture (or does its work at once), the
// gesture follows the pointer until it is released.

/** A pointer position on the canvas (CSS pixels) and on the image (stored pixels). */
export interface At {
  sx: number;
  sy: number;
  x: number;
  y: number;
}

export interface Gesture {
  move(p: At): void;
  up?(): void;
}

export interface Tool {
  down(p: At): Gesture | undefined;
}
