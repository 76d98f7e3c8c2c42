// Messages between the extraction worker thread (pdf-worker.ts) and extract.ts.

/** One text line as pdf.js laid it out; y grows upwards (PDF space). */
export interface RawLine {
  text: string;
  x: number;
  y: number;
  /** Font size (height of the text matrix). */
  size: number;
}

export interface WorkerRequest {
  data: Uint8Array;
  password?: string;
}

export type WorkerMessage =
  | { type: 'meta'; pages: number; title?: string; author?: string; date?: string }
  | { type: 'page'; page: number; height: number; lines: RawLine[]; ocr: boolean; broken: boolean }
  | { type: 'done' }
  /** `retire`: the thread's state cannot be trusted any more (a stray rejection): do not reuse it. */
  | { type: 'error'; name: string; message: string; code?: number; retire?: boolean };
