// A hedge in the note ("suspicious for", "may represent", "cannot exclude", "rule out") that the
// statement drops turns a possibility into a diagnosis. The hedge's scope is the words after it
// in the same clause; the statement is flagged when it states one of those words unhedged.

import { stem } from '../terms';
import { perLine, phraseRegex, wordsOf } from './text';
import type { CitedLine, Rule, RuleInput } from './types';

/** Hedges a note writes before the thing it is unsure of. */
const NOTE_HEDGES = [
  'possible', 'possibly', 'probable', 'probably', 'suggests', 'suggest', 'suggestive of', 'suggesting', 'may represent',
  'may be', 'might be', 'could be', 'cannot exclude', 'cannot be excluded', 'can not exclude', 'not excluded',
  'rule out', 'to rule out', 'r/o', 'consider', 'considered', 'likely', 'suspicious for', 'suspected', 'suspect',
  'concerning for', 'concern for', 'question of', 'questionable', 'presumed', 'presumptive', 'equivocal',
  'indeterminate', 'differential includes', 'compatible with', 'versus', 'vs', 'favor', 'favored', 'cannot rule out', 'worrisome for',
];
/** Words in a statement that keep the uncertainty (any of them is enough). */
const STATEMENT_HEDGES = [
  ...NOTE_HEDGES, 'may', 'might', 'could', 'uncertain', 'unclear', 'unconfirmed', 'not confirmed', 'query', 'concern',
  'suspicion', 'evaluate', 'evaluated', 'evaluation', 'workup', 'work-up', 'pending', 'if', 'whether', 'differential',
  'potential', 'potentially', 'apparent', 'impression of', 'thought to', 'felt to', 'attributed', 'less likely',
  'unlikely', 'screen', 'consistent with',
];
const NOTE_RE = phraseRegex(NOTE_HEDGES);
const STATEMENT_RE = phraseRegex(STATEMENT_HEDGES, 'i');
const SCOPE_WORDS = 6;
const WEAK = new Set(['the', 'a', 'an', 'of', 'for', 'and', 'or', 'with', 'in', 'to', 'be', 'is', 'this', 'that', 'an', 'underlying']);

interface Hedge {
  cue: string;
  /** Stems the hedge is about. */
  scope: string[];
}

function hedgesIn(text: string): Hedge[] {
  const out: Hedge[] = [];
  for (const m of text.slice(0, 4000).matchAll(NOTE_RE)) {
    const after = wordsOf(text.slice(m.index! + m[0].length, m.index! + m[0].length + 200), 20);
    const scope: string[] = [];
    for (const w of after) {
      if (w.clause > 0 || scope.length >= SCOPE_WORDS) break;
      if (!WEAK.has(w.w) && /^[a-z]/.test(w.w)) scope.push(stem(w.w));
    }
    out.push({ cue: m[0].toLowerCase(), scope });
  }
  return out;
}

const lineHedges = perLine((line: CitedLine) => hedgesIn(line.text));

export const certainty: Rule = {
  kind: 'certainty',
  check({ text, cited }: RuleInput) {
    if (STATEMENT_RE.test(text.slice(0, 4000)) || /\?/.test(text)) return undefined;
    const said = new Set(wordsOf(text).map((w) => stem(w.w)));
    for (const line of cited) {
      for (const h of lineHedges(line)) {
        // The statement names what the note hedges about (two words, or one for a one-word scope).
        const shared = h.scope.filter((s) => said.has(s)).length;
        if (shared >= Math.min(2, h.scope.length) && shared > 0) return `the note says "${h.cue}"`;
      }
    }
    return undefined;
  },
};
