import * as assert from 'node:assert/strict';
import { paperViewerProtocol } from '../../../src/protocol/paper-viewer';

describe('papers: what the viewer webview may send is checked on arrival', () => {
  const parse = (type: keyof typeof paperViewerProtocol.requests, v: unknown) => paperViewerProtocol.requests[type].schema.parse(v);

  it('accepts the known shapes', () => {
    assert.deepEqual(parse('viewer/rendered', { page: 3, pages: 6, highlighted: 12 }), { page: 3, pages: 6, highlighted: 12 });
    assert.deepEqual(parse('viewer/password', { wrong: true }), { wrong: true });
    assert.equal(parse('viewer/ready', undefined), undefined);
  });

  it('rejects wrong types, fractions, negatives, unknown fields and over-long text', () => {
    for (const bad of [{ page: -1, pages: 6, highlighted: 0 }, { page: 1.5, pages: 6, highlighted: 0 }, { page: '1', pages: 6, highlighted: 0 }, { page: 1, pages: 6, highlighted: 0, run: 'x' }]) {
      assert.throws(() => parse('viewer/rendered', bad), JSON.stringify(bad));
    }
    assert.throws(() => parse('viewer/password', { wrong: 'yes' }));
    assert.throws(() => parse('viewer/failed', { message: 'x'.repeat(501) }));
    assert.throws(() => parse('viewer/ready', { command: 'x' }));
  });
});
