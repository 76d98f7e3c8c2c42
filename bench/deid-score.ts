// Character-level scores of identifier spans against gold spans, for bench/deid.ts. A gold
// character counts as found when any found span covers it (whatever its type: a name
// replaced as a date is still hidden); per type, recall is over that type's gold characters
// and precision over the characters found with that type.

export interface Scored {
  start: number;
  end: number;
  type: string;
}

export interface Tally {
  goldChars: number;
  goldFound: number;
  foundChars: number;
  foundRight: number;
}

export const emptyTally = (): Tally => ({ goldChars: 0, goldFound: 0, foundChars: 0, foundRight: 0 });

function mask(length: number, spans: readonly Scored[]): Uint8Array {
  const m = new Uint8Array(length);
  for (const s of spans) m.fill(1, s.start, s.end);
  return m;
}

/** Adds one note's counts, overall under "ALL" and per type, into `into`. */
export function score(text: string, gold: readonly Scored[], found: readonly Scored[], into: Map<string, Tally>): void {
  const goldMask = mask(text.length, gold);
  const foundMask = mask(text.length, found);
  const add = (type: string, f: (t: Tally) => void): void => {
    for (const key of [type, 'ALL']) {
      if (!into.has(key)) into.set(key, emptyTally());
      f(into.get(key)!);
    }
  };
  for (const g of gold) {
    let hit = 0;
    for (let i = g.start; i < g.end; i++) hit += foundMask[i];
    // Whitespace inside a gold span ("27 481 906") counts like any other character.
    add(g.type, (t) => ((t.goldChars += g.end - g.start), (t.goldFound += hit)));
  }
  for (const s of found) {
    let right = 0;
    for (let i = s.start; i < s.end; i++) right += goldMask[i];
    add(s.type, (t) => ((t.foundChars += s.end - s.start), (t.foundRight += right)));
  }
}

export const ratio = (a: number, b: number): string => (b === 0 ? '  -  ' : (a / b).toFixed(3));
