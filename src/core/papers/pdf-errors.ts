// The ways reading a PDF fails, as one typed error whose message says what to do.

export type PdfFailure = 'encrypted' | 'wrong-password' | 'corrupt' | 'empty' | 'cancelled' | 'unreadable';

export class PdfError extends Error {
  override readonly name = 'PdfError';
  constructor(
    readonly kind: PdfFailure,
    message: string,
  ) {
    super(message);
  }
}

/** Maps an error from pdf.js (matched on `name`, the classes are not all exported) to a PdfError. */
export function pdfFailure(e: { name?: string; message?: string; code?: number }, file: string): PdfError {
  const name = e?.name ?? '';
  const msg = e?.message ?? String(e);
  if (name === 'PasswordException') {
    return e.code === 2
      ? new PdfError('wrong-password', `${file} is encrypted and the password is wrong. Re-index it and enter the right password.`)
      : new PdfError('encrypted', `${file} is encrypted. Re-index it and enter its password (CLI: --password).`);
  }
  if (name === 'InvalidPDFException' && /empty/i.test(msg)) return new PdfError('empty', `${file} is empty (0 bytes). Attach the complete PDF.`);
  if (name === 'InvalidPDFException' || name === 'MissingPDFException') {
    return new PdfError('corrupt', `${file} is not a readable PDF (damaged or truncated). Download it again and re-index it.`);
  }
  return new PdfError('unreadable', `${file} could not be read (${name || 'error'}: ${msg.slice(0, 120)}). Re-index it; if it fails again, open it in another PDF reader to check it.`);
}
