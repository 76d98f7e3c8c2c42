import * as assert from 'node:assert/strict';
import { parseFromViewer } from '../../../src/protocol/paper-viewer';

describe('papers: viewer messages are checked on arrival', () => {
  it('accepts the known shapes and rejects anything else', () => {
    assert.deepEqual(parseFromViewer({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseFromViewer({ type: 'rendered', page: 3, pages: 6, highlighted: 12, extra: 'x' }), { type: 'rendered', page: 3, pages: 6, highlighted: 12 });
    assert.deepEqual(parseFromViewer({ type: 'needPassword', wrong: 'yes' }), { type: 'needPassword', wrong: false });
    assert.equal(parseFromViewer({ type: 'error', message: 'x'.repeat(2000) })?.type, 'error');
    assert.equal((parseFromViewer({ type: 'error', message: 'x'.repeat(2000) }) as { message: string }).message.length, 500);
    for (const bad of [null, 'ready', { type: 'rendered', page: -1, pages: 6, highlighted: 0 }, { type: 'rendered', page: 1.5, pages: 6, highlighted: 0 }, { type: 'error' }, { type: 'runCommand', command: 'x' }]) {
      assert.equal(parseFromViewer(bad), undefined, JSON.stringify(bad));
    }
  });
});
