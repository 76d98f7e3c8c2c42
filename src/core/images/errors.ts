// One error type for images that cannot be opened: the message says what happened and what to do.

export type ImageErrorKind = 'not-an-image' | 'truncated' | 'no-pixels' | 'unsupported' | 'too-large' | 'corrupt';

export class ImageError extends Error {
  override readonly name = 'ImageError';
  constructor(
    readonly kind: ImageErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export function isImageError(e: unknown): e is ImageError {
  return e instanceof ImageError;
}

/**
 * A server error by shape rather than by class: the annotator runs in its own bundle
 * (dist/images.js) whose copy of MedGemmaError is not the class the shared client throws.
 */
export function serverError(e: unknown): { kind: string; message: string; partial?: boolean } | undefined {
  const o = e as { name?: unknown; kind?: unknown; message?: unknown } | undefined;
  return o && o.name === 'MedGemmaError' && typeof o.kind === 'string' && typeof o.message === 'string'
    ? (o as { kind: string; message: string; partial?: boolean })
    : undefined;
}
