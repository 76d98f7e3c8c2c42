// Packing part summaries for a combine round: pure, so the packing is tested without a model.

/**
 * Items in order, packed into consecutive groups whose sizes add up to at most `budget`. An
 * item larger than the budget gets a group of its own (it cannot be split here).
 */
export function groupInOrder<T>(items: readonly T[], sizes: readonly number[], budget: number): T[][] {
  if (sizes.length !== items.length) throw new RangeError(`${items.length} items but ${sizes.length} sizes`);
  const groups: T[][] = [];
  let current: T[] = [];
  let used = 0;
  items.forEach((item, i) => {
    if (current.length > 0 && used + sizes[i] > budget) {
      groups.push(current);
      current = [];
      used = 0;
    }
    current.push(item);
    used += sizes[i];
  });
  if (current.length > 0) groups.push(current);
  return groups;
}
