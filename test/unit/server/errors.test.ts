// The one table of error kinds: which failures blame the server, and the fixes each front end
// offers (the chat's buttons, the editor's notifications, the CLI's exit codes).
import * as assert from 'node:assert/strict';
import { exitCodeFor, EXIT } from '../../../src/cli/exit';
import { type ErrorKind, isServerFault, MedGemmaError, notificationActions, suggestedActions } from '../../../src/core/server/errors';

const SERVER: ErrorKind[] = ['unreachable', 'unauthorized', 'timeout', 'unknown-model', 'bad-config'];
const OTHERS: ErrorKind[] = ['context-overflow', 'image-limit', 'not-image-capable', 'role-order', 'bad-request', 'rate-limited', 'server-error', 'interrupted'];

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
