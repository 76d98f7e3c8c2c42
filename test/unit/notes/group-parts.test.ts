// How part summaries are packed for a combine round (combine-parts.ts): in order, each group
// within the budget, an oversized part alone.
import * as assert from 'node:assert/strict';
import { groupInOrder } from '../../../src/core/notes/group-parts';

describe('groupInOrder', () => {
  it('packs consecutive items while their sizes fit the budget', () => {
    assert.deepEqual(groupInOrder(['a', 'b', 'c', 'd', 'e'], [30, 30, 40, 50, 10], 100), [['a', 'b', 'c'], ['d', 'e']]);
  });

  it('starts a new group exactly when the next item would exceed the budget', () => {
    assert.deepEqual(groupInOrder([1, 2, 3], [50, 50, 1], 100), [[1, 2], [3]]);
    assert.deepEqual(groupInOrder([1, 2, 3], [50, 51, 1], 100), [[1], [2, 3]]);
  });

  it('gives an item larger than the budget a group of its own, keeping the order', () => {
    assert.deepEqual(groupInOrder(['s', 'huge', 't'], [10, 500, 10], 100), [['s'], ['huge'], ['t']]);
  });

  it('returns every item once, and no empty group', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const sizes = items.map((i) => (i * 37) % 90);
    const groups = groupInOrder(items, sizes, 120);
    assert.deepEqual(groups.flat(), items);
    for (const g of groups) {
      assert.ok(g.length > 0);
      if (g.length > 1) assert.ok(g.reduce((n, i) => n + sizes[i], 0) <= 120, `group ${g} is over budget`);
    }
    assert.deepEqual(groupInOrder([], [], 100), []);
  });

  it('refuses sizes that do not match the items', () => {
    assert.throws(() => groupInOrder(['a', 'b'], [1], 100), RangeError);
  });
});
