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

describe('the table, kind by kind', () => {
  it('every kind: whether it blames the server, and the fixes offered, best first', () => {
    const table: Record<ErrorKind, [boolean, string[]]> = {
      unreachable: [true, ['retry', 'checkServer', 'openSettings']],
      timeout: [true, ['retry', 'checkServer', 'openSettings']],
      unauthorized: [true, ['setApiKey', 'retry']],
      'unknown-model': [true, ['openSettings', 'checkServer']],
      'bad-config': [true, ['openSettings', 'checkServer']],
      'not-image-capable': [false, ['openSettings', 'checkServer']],
      'image-limit': [false, ['openSettings', 'checkServer']],
      'context-overflow': [false, []],
      'role-order': [false, ['retry', 'showLog']],
      'bad-request': [false, ['retry', 'showLog']],
      'rate-limited': [false, ['retry', 'showLog']],
      'server-error': [false, ['retry', 'showLog']],
      interrupted: [false, ['retry', 'showLog']],
      privacy: [false, ['openSettings']],
      declined: [false, []],
    };
    for (const [kind, [fault, actions]] of Object.entries(table)) {
      assert.equal(isServerFault(kind), fault, kind);
      assert.deepEqual(suggestedActions(kind), actions, kind);
    }
    assert.deepEqual(notificationActions('privacy'), ['openSettings', 'showLog']);
    assert.deepEqual(notificationActions('declined'), ['showLog']);
    assert.deepEqual(notificationActions('image-limit'), ['checkServer', 'openSettings', 'showLog']);
  });

  it('the buttons say what they do', () => {
    assert.deepEqual(errors.ACTION_LABELS, {
      retry: 'Retry',
      checkServer: 'Check Server',
      openSettings: 'Open Settings',
      setApiKey: 'Set API Key',
      showLog: 'Show Log',
      manageTrust: 'Manage Workspace Trust',
      getStarted: 'Get Started',
    });
    assert.deepEqual(errors.ERROR_ACTIONS, ['checkServer', 'openSettings', 'setApiKey', 'showLog', 'manageTrust', 'retry', 'getStarted']);
  });

  it("each front end's words: the editor keeps the setting, the CLI its flag, for every hint in a message", () => {
    const m = 'Raise "medgemma.server.idleTimeoutSeconds" (CLI: --timeout), or set "medgemma.server.baseUrl" (CLI: --base-url).';
    assert.equal(errors.forEditor(m), 'Raise "medgemma.server.idleTimeoutSeconds", or set "medgemma.server.baseUrl".');
    assert.equal(errors.forCli(m), 'Raise --timeout, or set --base-url.');
    assert.equal(errors.forEditor('No hint here (CLI: nothing)'), 'No hint here (CLI: nothing)');
  });

  it('an error carries its name, kind, details, and the partial text (empty when none)', () => {
    const e = new MedGemmaError('interrupted', 'cut', { status: 502, partial: 'half', serverMessage: 'bad gateway' });
    assert.deepEqual([e.name, e.kind, e.message, e.partial, e.detail.status, e.detail.serverMessage], ['MedGemmaError', 'interrupted', 'cut', 'half', 502, 'bad gateway']);
    assert.equal(new MedGemmaError('timeout', 'slow').partial, '');
    assert.ok(e instanceof Error);
    assert.equal(isMedGemmaError(null), false);
    assert.equal(isMedGemmaError('MedGemmaError'), false);
  });
});
