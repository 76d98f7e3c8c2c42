// Left, right or both: the side a statement gives must be the side its cited lines give for
// the same site. "L jaw", "R knee", "RLL" and "bibasilar" count; "right away" does not.

import { stem } from '../terms';
import { perLine, wordsOf, type Word } from './text';
import type { CitedLine, Rule, RuleInput } from './types';

export type Side = 'left' | 'right' | 'both';

interface SideMention {
  side: Side;
  /** Stems of up to three words after the side word (what it is the side of). */
  site: string[];
}

const SIDE_WORDS: Record<string, Side> = {
  left: 'left', right: 'right', bilateral: 'both', bilaterally: 'both', both: 'both', bibasilar: 'both',
  bibasal: 'both', 'b/l': 'both', bilat: 'both', 'left-sided': 'left', 'right-sided': 'right', lt: 'left', rt: 'right',
};
// Lobes and lines named by side.
const SIDED_ABBREVIATIONS: Record<string, [Side, string]> = {
  rll: ['right', 'lobe'], rml: ['right', 'lobe'], rul: ['right', 'lobe'], lll: ['left', 'lobe'], lul: ['left', 'lobe'],
  rle: ['right', 'leg'], lle: ['left', 'leg'], rue: ['right', 'arm'], lue: ['left', 'arm'],
  lv: ['left', 'ventricle'], rv: ['right', 'ventricle'], lvef: ['left', 'ventricle'],
  rlq: ['right', 'quadrant'], llq: ['left', 'quadrant'], ruq: ['right', 'quadrant'], luq: ['left', 'quadrant'],
};
// "right" that is not a side.
const NOT_A_SIDE = new Set(['away', 'now', 'then', 'there', 'here', 'after', 'before']);
// "left" as a verb: "Foley left in place", "left AMA", "was left untreated", "the patient has left".
const LEFT_AS_VERB_BEFORE = new Set(['ama', 'against', 'untreated', 'alone', 'unchanged', 'behind', 'without', 'intact', 'home', 'early', 'open', 'with']);
const LEFT_IN = new Set(['place', 'situ', 'position']);
const AUXILIARY = new Set(['was', 'were', 'been', 'being', 'has', 'have', 'had']);
// L- and R- that name a drug or a regimen, not a side: L-thyroxine, L-dopa, R-CHOP.
const NOT_SIDE_PREFIXED = /^[lr]-(?:thyroxine|dopa|arginine|glutamine|carnitine|lysine|citrulline|methylfolate|tryptophan|chop|cvp|ice|epoch|gdp|dhap|bendamustine)$/;
const FILLER = new Set(['side', 'sided', 'of', 'the', 'and', 'inner', 'outer', 'upper', 'lower', 'mid', 'a', 'at', 'in', 'on']);

/** Side mentions in a text; a lone "L" or "R" counts only before a word ("L jaw", "(R arm)"), not after a number ("2 L"). */
export function sidesIn(text: string): SideMention[] {
  const words = wordsOf(text);
  const out: SideMention[] = [];
  for (let i = 0; i < words.length; i++) {
    const { w, raw, afterNumber } = words[i];
    // "left-hand-dominant", "L-sided": the side, then what it is the side of.
    if (NOT_SIDE_PREFIXED.test(w)) continue;
    const glued = /^(left|right|l|r)-(.+)$/.exec(w);
    if (glued && !SIDE_WORDS[w] && glued[2] !== 'sided' && (glued[1].length > 1 || /^[LR]-/.test(raw))) {
      out.push({ side: glued[1].startsWith('l') ? 'left' : 'right', site: [stem(glued[2].split('-')[0].replace(/^sided$/, ''))].filter(Boolean) });
      continue;
    }
    let side: Side | undefined = SIDE_WORDS[w] ?? (/^[LR]-sided$/.test(raw) ? (raw[0] === 'L' ? 'left' : 'right') : undefined);
    if (w === 'right' && (NOT_A_SIDE.has(words[i + 1]?.w ?? '') || words[i - 1]?.w === 'all')) side = undefined;
    if (w === 'left' && isLeftAsVerb(words, i)) side = undefined;
    if (w === 'both' && !/^(?:side|lung|leg|arm|base|knee|hip|eye|ear|foot|feet|hand|kidney|breast|great|lower|upper)/.test(words[i + 1]?.w ?? '')) side = undefined;
    if ((raw === 'L' || raw === 'R') && !afterNumber && i + 1 < words.length && /^[a-z]/.test(words[i + 1].w)) {
      side = raw === 'L' ? 'left' : 'right';
    }
    const abbr = SIDED_ABBREVIATIONS[w];
    if (abbr) {
      out.push({ side: abbr[0], site: [abbr[1]] });
      continue;
    }
    if (!side) continue;
    const site: string[] = [];
    for (let k = i + 1; k < words.length && k <= i + 5 && site.length < 3; k++) {
      if (words[k].clause !== words[i].clause || SIDE_WORDS[words[k].w]) break;
      if (FILLER.has(words[k].w) || /^\d/.test(words[k].w)) continue;
      site.push(stem(words[k].w.replace(/-sided$/, '')));
    }
    out.push({ side, site });
  }
  return out;
}

/** "left" followed by what a verb takes ("left in place") or ending a clause after "was"/"has" ("has left."). */
function isLeftAsVerb(words: Word[], i: number): boolean {
  const next = words[i + 1]?.clause === words[i].clause ? words[i + 1].w : undefined;
  if (next !== undefined) {
    const after = words[i + 2]?.clause === words[i].clause ? words[i + 2].w : '';
    return LEFT_AS_VERB_BEFORE.has(next) || (next === 'in' && LEFT_IN.has(after));
  }
  return i > 0 && words[i - 1].clause === words[i].clause && AUXILIARY.has(words[i - 1].w);
}

const lineSides = perLine((line: CitedLine) => sidesIn(line.text));

/** The same side, or one side of "both". */
function compatible(said: Side, noted: Side): boolean {
  return said === noted || noted === 'both';
}

export const laterality: Rule = {
  kind: 'laterality',
  check({ text, cited }: RuleInput) {
    const said = sidesIn(text);
    if (said.length === 0) return undefined;
    const noted = cited.flatMap((l) => lineSides(l));
    for (const m of said) {
      const sameSite = noted.filter((n) => n.site.some((s) => m.site.includes(s)));
      const pool = sameSite.length > 0 ? sameSite : noted;
      if (pool.length === 0) return 'the cited lines do not give a side';
      // Never "both" here: a "both" in the pool is compatible with any side.
      if (!pool.some((n) => compatible(m.side, n.side))) return `the note says ${pool[0].side}`;
    }
    return undefined;
  },
};
