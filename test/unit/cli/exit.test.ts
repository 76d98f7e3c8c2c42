// The CLI's one error mapping: whatever was thrown — our typed errors, a library's string, a
// number — becomes one line and an exit code from the documented table.
import * as assert from 'node:assert/strict';
import { EXIT, exitCodeFor, formatError, UsageError } from '../../../src/cli/exit';
import { ImageError } from '../../../src/core/images/errors';
import { PdfError } from '../../../src/core/papers/pdf-errors';

describe('cli: exit codes and error lines', () => {
  it('maps unreadable input to 2, a cancelled file to 130, anything unknown to 1 (a bug)', () => {
    assert.equal(exitCodeFor(new UsageError('give a file')), EXIT.usage);
    assert.equal(exitCodeFor(new ImageError('corrupt', 'x.dcm is damaged.')), EXIT.usage);
    assert.equal(exitCodeFor(new PdfError('corrupt', 'x.pdf is damaged.')), EXIT.usage);
    assert.equal(exitCodeFor(new PdfError('cancelled', 'Indexing x.pdf was cancelled.')), EXIT.sigint);
    assert.equal(exitCodeFor("dicomParser.readEncapsulatedImageFrame: parameter 'frameIndex' must be >= 0"), EXIT.internal);
    assert.equal(exitCodeFor(100262160), EXIT.internal);
    assert.equal(exitCodeFor(new RangeError('Invalid typed array length: 8589934588')), EXIT.internal);
  });

  it('prints one line with no library wording; the raw text only with --debug', () => {
    const thrown = "dicomParser.readEncapsulatedImageFrame: parameter 'frameIndex' must be >= 0";
    const line = formatError(thrown, false);
    assert.equal(line, 'error: medgemma stopped on an unexpected error (string). This is a bug: run the command again with --debug and report what it prints');
    assert.match(formatError(thrown, true), /\nthrown: dicomParser\.readEncapsulatedImageFrame/);
    assert.equal(formatError(new ImageError('corrupt', 'x.dcm is damaged. Export it again.', 'codec said 7'), false), 'error: x.dcm is damaged. Export it again');
    assert.match(formatError(new ImageError('corrupt', 'x.dcm is damaged. Export it again.', 'codec said 7'), true), /\ndetail: codec said 7/);
  });
});
