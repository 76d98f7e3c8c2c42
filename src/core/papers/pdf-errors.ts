// The ways reading a PDF fails, as one typed error whose message says what to do. pdf.js's own
// wording never reaches the user (it names its internals); it is kept as `detail` for logs.

export type PdfFailure = 'encrypted' | 'wrong-password' | 'corrupt' | 'empty' | 'cancelled' | 'unreadable' | 'too-slow' | 'too-large';

export class PdfError extends Error {
  override readonly name = 'PdfError';
  constructor(
    readonly kind: PdfFailure,
    message: string,
    /** What pdf.js or the worker said, for --debug and logs only. */
    readonly detail?: string,
  ) {
    super(message);
  }
}

export function isPdfError(e: unknown): e is PdfError {
  return e instanceof PdfError;
}

/** Maps an error from pdf.js (matched on `name`, the classes are not all exported) to a PdfError. */
export function pdfFailure(e: { name?: string; message?: string; code?: number | string }, file: string): PdfError {
  const name = e?.name ?? '';
  const msg = e?.message ?? String(e);
  const detail = `${name || 'error'}: ${msg.slice(0, 300)}`;
  if (name === 'PasswordException') {
    return e.code === 2
      ? new PdfError('wrong-password', `${file} is encrypted and the password is wrong. Re-index it and enter the right password.`, detail)
      : new PdfError('encrypted', `${file} is encrypted. Re-index it and enter its password (CLI: --password).`, detail);
  }
  if (name === 'InvalidPDFException' && /empty/i.test(msg)) return new PdfError('empty', `${file} is empty (0 bytes). Attach the complete PDF.`, detail);
  if (name === 'InvalidPDFException' || name === 'MissingPDFException' || name === 'FormatError') {
    return new PdfError('corrupt', `${file} is not a readable PDF (damaged or truncated). Download it again and re-index it.`, detail);
  }
  if (name === 'RangeError' && /call stack/i.test(msg)) {
    return new PdfError('unreadable', `${file} is built in a way that exhausts the PDF reader (its content is nested too deeply), so it was skipped. Open it in another PDF reader to check it.`, detail);
  }
  if (e?.code === 'ERR_WORKER_OUT_OF_MEMORY') return tooLarge(file, detail);
  return new PdfError('unreadable', `${file} could not be read; it may be damaged. Open it in another PDF reader to check it, then re-index it.`, detail);
}

export function tooLarge(file: string, detail?: string): PdfError {
  return new PdfError('too-large', `${file} needs more memory to read than is allowed, so it was skipped. Split it into smaller files and index those.`, detail);
}

export function tooSlow(file: string, limitMs: number): PdfError {
  const s = limitMs / 1000;
  const seconds = s >= 10 ? Math.round(s) : Number(s.toFixed(1));
  return new PdfError('too-slow', `${file} took more than ${seconds} s to read, so it was stopped; it may be damaged or built to stall PDF readers. Open it in another PDF reader to check it.`);
}
