// The strict citation href format (papers/page-href.ts) at its limits, and every message of
// papers/pdf-errors.ts word for word.
import * as assert from 'node:assert/strict';
import { PAPER_SCHEME, paperPageHref, parsePaperPageHref } from '../../../src/core/papers/page-href';
import { isPdfError, PdfError, pdfFailure, tooLarge, tooSlow } from '../../../src/core/papers/pdf-errors';

const run = (n: number, c = 'x'): string => c.repeat(n);

describe('papers: citation hrefs, at the limits of the format', () => {
  const ID = '0123456789abcdef';

  it('writes the scheme, the chunk id percent-encoded and the page', () => {
    assert.equal(PAPER_SCHEME, 'medgemma-paper:');
    assert.equal(paperPageHref({ chunkId: 'a b/c#1', pageStart: 3 }), 'medgemma-paper:a%20b%2Fc%231?page=3');
  });

  it('reads exactly 16 lowercase hex digits of paper id', () => {
    assert.deepEqual(parsePaperPageHref(`medgemma-paper:${ID}%230?page=1`), { chunkId: `${ID}#0`, page: 1 });
    assert.equal(parsePaperPageHref(`medgemma-paper:${ID.slice(1)}%230?page=1`), undefined);
    assert.equal(parsePaperPageHref(`medgemma-paper:${ID}0%230?page=1`), undefined);
    assert.equal(parsePaperPageHref('medgemma-paper:0123456789abcdeg%230?page=1'), undefined);
  });

  it('reads 1 to 6 digits of chunk and of page, without leading zeros in the result', () => {
    assert.deepEqual(parsePaperPageHref(`medgemma-paper:${ID}%23123456?page=999999`), { chunkId: `${ID}#123456`, page: 999999 });
    assert.deepEqual(parsePaperPageHref(`medgemma-paper:${ID}%23000042?page=000007`), { chunkId: `${ID}#42`, page: 7 });
    assert.deepEqual(parsePaperPageHref(`medgemma-paper:${ID}%230?page=000000`), { chunkId: `${ID}#0`, page: 1 });
    const list = [`${ID}%23?page=1`, `${ID}%231234567?page=1`, `${ID}%230?page=`, `${ID}%230?page=1234567`, `${ID}%230xpage=1`, `${ID}%230?page=1x`];
    for (const bad of list) assert.equal(parsePaperPageHref(`medgemma-paper:${bad}`), undefined, bad);
  });

  it('reads nothing before or after the href', () => {
    assert.equal(parsePaperPageHref(`xmedgemma-paper:${ID}%230?page=1`), undefined);
    assert.equal(parsePaperPageHref(` medgemma-paper:${ID}%230?page=1`), undefined);
    assert.equal(parsePaperPageHref(`medgemma-paper:${ID}%230?page=1 `), undefined);
  });
});

describe('papers: PDF failures and their messages', () => {
  const parts = (e: PdfError) => ({ isError: e instanceof Error, name: e.name, kind: e.kind, message: e.message, detail: e.detail });
  const want = (kind: string, message: string, detail?: string) => ({ isError: true, name: 'PdfError', kind, message, detail });
  const fail = (e: { name?: string; message?: string; code?: number | string }) => parts(pdfFailure(e, 'a.pdf'));
  const GENERIC = 'a.pdf could not be read; it may be damaged. Open it in another PDF reader to check it, then re-index it.';
  const NESTED = 'a.pdf is built in a way that exhausts the PDF reader (its content is nested too deeply), so it was skipped. Open it in another PDF reader to check it.';
  const CORRUPT = 'a.pdf is not a readable PDF (damaged or truncated). Download it again and re-index it.';
  const ENCRYPTED = 'a.pdf is encrypted. Re-index it and enter its password (CLI: --password).';
  const WRONG = 'a.pdf is encrypted and the password is wrong. Re-index it and enter the right password.';
  const EMPTY = 'a.pdf is empty (0 bytes). Attach the complete PDF.';
  const LARGE = 'a.pdf needs more memory to read than is allowed, so it was skipped. Split it into smaller files and index those.';

  it('a wrong password (code 2) and a missing one (any other code)', () => {
    assert.deepEqual(fail({ name: 'PasswordException', message: 'Incorrect Password', code: 2 }), want('wrong-password', WRONG, 'PasswordException: Incorrect Password'));
    const list = [1, '2', undefined];
    for (const code of list) assert.deepEqual(fail({ name: 'PasswordException', message: 'No password', code }), want('encrypted', ENCRYPTED, 'PasswordException: No password'), String(code));
  });

  it('an empty file (InvalidPDFException saying "empty", any case); other invalid, missing and format errors are corrupt', () => {
    const empties = ['The PDF file is empty, i.e. its size is zero bytes.', 'EMPTY'];
    for (const message of empties) assert.deepEqual(fail({ name: 'InvalidPDFException', message }), want('empty', EMPTY, `InvalidPDFException: ${message}`));
    const corrupt = [['InvalidPDFException', 'Invalid PDF structure.'], ['MissingPDFException', 'empty'], ['FormatError', 'Bad FCHECK']];
    for (const [name, message] of corrupt) assert.deepEqual(fail({ name, message }), want('corrupt', CORRUPT, `${name}: ${message}`), name);
  });

  it('a stack overflow ("call stack", any case) is too deeply nested; another RangeError is unreadable', () => {
    const list = ['Maximum call stack size exceeded', 'CALL STACK'];
    for (const message of list) assert.deepEqual(fail({ name: 'RangeError', message }), want('unreadable', NESTED, `RangeError: ${message}`));
    assert.deepEqual(fail({ name: 'RangeError', message: 'Invalid array length' }), want('unreadable', GENERIC, 'RangeError: Invalid array length'));
  });

  it('a worker out of memory is too large, whatever its name', () => {
    assert.deepEqual(fail({ name: 'Error', message: 'oom', code: 'ERR_WORKER_OUT_OF_MEMORY' }), want('too-large', LARGE, 'Error: oom'));
    assert.deepEqual(fail({ code: 'ERR_WORKER_OUT_OF_MEMORY' }), want('too-large', LARGE, 'error: [object Object]'));
    assert.deepEqual(parts(tooLarge('a.pdf')), want('too-large', LARGE, undefined));
    assert.deepEqual(parts(tooLarge('a.pdf', 'd')), want('too-large', LARGE, 'd'));
  });

  it('anything else is unreadable; names are matched exactly; a missing name is "error"', () => {
    assert.deepEqual(fail({ name: 'invalidpdfexception', message: 'x' }), want('unreadable', GENERIC, 'invalidpdfexception: x'));
    assert.deepEqual(fail({ name: '', message: 'x' }), want('unreadable', GENERIC, 'error: x'));
    assert.deepEqual(fail({}), want('unreadable', GENERIC, 'error: [object Object]'));
    assert.deepEqual(fail(null as unknown as { name?: string }), want('unreadable', GENERIC, 'error: null'));
  });

  it('keeps 300 characters of the message in the detail', () => {
    assert.equal(pdfFailure({ name: 'TypeError', message: run(300, 'm') }, 'a.pdf').detail, `TypeError: ${run(300, 'm')}`);
    assert.equal(pdfFailure({ name: 'TypeError', message: run(301, 'm') }, 'a.pdf').detail, `TypeError: ${run(300, 'm')}`);
  });

  it('too slow: seconds to one decimal under 10 s, whole seconds from 10 s', () => {
    const slow = (s: string) => `a.pdf took more than ${s} s to read, so it was stopped; it may be damaged or built to stall PDF readers. Open it in another PDF reader to check it.`;
    const cases: Array<[number, string]> = [[1, '0'], [300, '0.3'], [9940, '9.9'], [9999, '10'], [10_000, '10'], [10_250, '10'], [10_500, '11'], [120_000, '120']];
    for (const [ms, s] of cases) assert.deepEqual(parts(tooSlow('a.pdf', ms)), want('too-slow', slow(s), undefined), String(ms));
  });

  it('isPdfError knows only real PdfErrors', () => {
    const e = new PdfError('cancelled', 'Indexing a.pdf was cancelled.');
    assert.equal(isPdfError(e), true);
    assert.equal(String(e), 'PdfError: Indexing a.pdf was cancelled.');
    assert.equal(e.detail, undefined);
    assert.equal(isPdfError(Object.assign(new Error('x'), { name: 'PdfError', kind: 'corrupt' })), false);
    assert.equal(isPdfError(undefined), false);
  });
});
