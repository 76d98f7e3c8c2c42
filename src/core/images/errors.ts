// One error type for images that cannot be opened: the message says what happened and what to
// do. Decoders' own words (they name their internals) never reach it; they stay in `detail`.

export type ImageErrorKind = 'not-an-image' | 'truncated' | 'no-pixels' | 'unsupported' | 'too-large' | 'corrupt';

export class ImageError extends Error {
  override readonly name = 'ImageError';
  constructor(
    readonly kind: ImageErrorKind,
    message: string,
    /** What a decoder said, for --debug and logs only. */
    readonly detail?: string,
  ) {
    super(message);
  }
}

export function isImageError(e: unknown): e is ImageError {
  return e instanceof ImageError;
}

/** Anything a decoder threw (an Error, a string, a number) as its raw wording. */
export function thrownText(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  if (typeof e === 'string') return e;
  if (e && typeof e === 'object' && 'exception' in e) return String((e as { exception: unknown }).exception);
  return typeof e === 'number' ? `code ${e}` : String(e);
}

/**
 * Every failure while opening or decoding `name` as an ImageError: ours pass through, anything
 * else (a library's string, a RangeError from a bad length) becomes one sentence.
 */
export function asImageError(e: unknown, name: string): ImageError {
  if (e instanceof ImageError) return e;
  if (/allocation failed|out of memory|invalid (typed )?array length|maxMemoryUsageInMB|maxResolutionInMP/i.test(thrownText(e))) {
    return new ImageError('too-large', `${name} could not be decoded within the memory allowed; it may be damaged or declare a larger image than it holds. Open the original file, or downscale it first.`, thrownText(e));
  }
  return new ImageError('corrupt', `${name} could not be decoded; it is damaged or uses an encoding the annotator does not read. Open the original file, or convert it to PNG first.`, thrownText(e));
}
