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
