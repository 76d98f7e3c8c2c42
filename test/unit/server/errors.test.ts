// The one table of error kinds: which failures blame the server, and the fixes each front end
// offers (the chat's buttons, the editor's notifications, the CLI's exit codes).
import * as assert from 'node:assert/strict';
import { exitCodeFor, EXIT } from '../../../src/cli/exit';
import * as errors from '../../../src/core/server/errors';
import { type ErrorKind, isMedGemmaError, isServerFault, MedGemmaError, notificationActions, suggestedActions } from '../../../src/core/server/errors';

/** A second copy of errors.ts, as dist/images.js carries its own. */
function anotherBundlesCopy(): typeof errors {
  const file = require.resolve('../../../src/core/server/errors');
  const mine = require.cache[file];
  delete require.cache[file];
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file) as typeof errors;
  } finally {
    require.cache[file] = mine;
  }
}

const SERVER: ErrorKind[] = ['unreachable', 'unauthorized', 'timeout', 'unknown-model', 'bad-config'];
const OTHERS: ErrorKind[] = ['context-overflow', 'image-limit', 'not-image-capable', 'role-order', 'bad-request', 'rate-limited', 'server-error', 'interrupted'];

describe('isMedGemmaError', () => {
  it("recognises an error thrown by another bundle's copy of the class, and its own subclasses", () => {
    const copy = anotherBundlesCopy();
    assert.notEqual(copy.MedGemmaError, MedGemmaError);
    const foreign = new copy.MedGemmaError('image-limit', 'One image per request.', { partial: 'so far' });
    assert.equal(foreign instanceof MedGemmaError, false);
    assert.equal(isMedGemmaError(foreign), true);
    assert.equal(copy.isMedGemmaError(new MedGemmaError('timeout', 'x')), true);
    class Sub extends MedGemmaError {}
    assert.equal(isMedGemmaError(new Sub('timeout', 'x')), true);
  });

  it('refuses look-alikes: the same name, kind and message without the brand', () => {
    const lookAlike = Object.assign(new Error('x'), { name: 'MedGemmaError', kind: 'timeout', partial: 'y' });
    for (const v of [lookAlike, JSON.parse(JSON.stringify(new MedGemmaError('timeout', 'x'))), { kind: 'timeout' }, null, undefined, 'MedGemmaError', 0]) {
      assert.equal(isMedGemmaError(v), false, String(v));
    }
  });
});

describe('error kinds', () => {
  it('blames the server only for what re-probing can tell (down, key, model, URL)', () => {
    for (const k of SERVER) assert.equal(isServerFault(k), true, k);
    for (const k of OTHERS) assert.equal(isServerFault(k), false, k);
  });

  it('reads a kind it does not know (another bundle, the wire, a prototype name) as a server error', () => {
    for (const k of ['untrusted', 'toString', '__proto__', '']) {
      assert.equal(isServerFault(k), false, k);
      assert.deepEqual(suggestedActions(k), ['retry', 'showLog'], k);
    }
  });

  it('suggests the fix first, and no retry where retrying cannot help', () => {
    assert.deepEqual(suggestedActions('unauthorized'), ['setApiKey', 'retry']);
    assert.deepEqual(suggestedActions('unreachable'), ['retry', 'checkServer', 'openSettings']);
    assert.deepEqual(suggestedActions('context-overflow'), []);
  });

  it('gives notifications the fixes they can run, in a fixed order, and always the log', () => {
    assert.deepEqual(notificationActions('timeout'), ['checkServer', 'openSettings', 'showLog']);
    assert.deepEqual(notificationActions('bad-config'), ['checkServer', 'openSettings', 'showLog']);
    assert.deepEqual(notificationActions('unauthorized'), ['setApiKey', 'showLog']);
    assert.deepEqual(notificationActions('server-error'), ['showLog']);
    assert.deepEqual(notificationActions('context-overflow'), ['showLog']);
  });

  it('gives the CLI the server exit code exactly for server faults', () => {
    for (const k of SERVER) assert.equal(exitCodeFor(new MedGemmaError(k, 'x')), EXIT.server, k);
    for (const k of OTHERS.filter((k) => k !== 'interrupted')) assert.equal(exitCodeFor(new MedGemmaError(k, 'x')), EXIT.rejected, k);
    assert.equal(exitCodeFor(new MedGemmaError('interrupted', 'x')), EXIT.interrupted);
  });

  it('hands out copies: a caller cannot change the table', () => {
    suggestedActions('unauthorized').push('getStarted');
    assert.deepEqual(suggestedActions('unauthorized'), ['setApiKey', 'retry']);
  });
});
