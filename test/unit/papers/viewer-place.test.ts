// Where a paper viewer should be while its page is replaced (src/vscode/papers/viewer-place.ts).
import * as assert from 'assert';
import { type Place, ViewerPlace } from '../../../src/vscode/papers/viewer-place';

function place(first: Place) {
  const sent: string[] = [];
  const v = new ViewerPlace(first, {
    open: (p) => sent.push(`open ${p.page}${p.highlight ? ` "${p.highlight}"` : ''}`),
    goto: (p) => sent.push(`goto ${p.page}`),
  });
  return { v, sent };
}

describe('paper viewer place', () => {
  it('a started page opens the paper where asked', async () => {
    const { v, sent } = place({ page: 3, highlight: 'cited' });
    v.pageStarted();
    assert.strictEqual(await v.started, true);
    assert.deepStrictEqual(sent, ['open 3 "cited"']);
  });

  it('a citation clicked before any page started is where the page that starts opens', async () => {
    const { v, sent } = place({ page: 3 });
    let settled = false;
    const pending = v.goto({ page: 5, highlight: 'later' }).then((s) => ((settled = true), s));
    v.loading(); // the blank page is replaced
    await new Promise((r) => setTimeout(r, 5));
    assert.strictEqual(settled, false, 'open() waits for a started page');
    v.pageStarted();
    assert.strictEqual(await pending, true);
    assert.deepStrictEqual(sent, ['open 5 "later"']);
  });

  it('a started page moves on goto; a replacement page reopens at the latest place', async () => {
    const { v, sent } = place({ page: 1 });
    v.pageStarted();
    const toFour = v.goto({ page: 4 });
    v.loading();
    const toSix = v.goto({ page: 6 }); // no live page: kept
    v.pageStarted();
    assert.deepStrictEqual(sent, ['open 1', 'goto 4', 'open 6']);
    assert.deepStrictEqual(await Promise.all([toFour, toSix]), [true, true]);
  });

  it('closed before any page started: waiting callers are released with false', async () => {
    const { v, sent } = place({ page: 2 });
    const pending = v.goto({ page: 2 });
    v.closed();
    assert.strictEqual(await pending, false);
    assert.deepStrictEqual(sent, []);
  });
});
