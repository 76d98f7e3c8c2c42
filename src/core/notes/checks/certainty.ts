// A hedge in the note ("suspicious for", "may represent", "cannot exclude", "rule out") that the
// statement drops turns a possibility into a diagnosis. The hedge's scope is the words after it
// in the same clause; the statement is flagged when it states one of those words unhedged.

import { expansions, stem } from '../terms';
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
const WEAK = new Set(['the', 'a', 'an', 'of', 'for', 'and', 'or', 'with', 'in', 'to', 'be', 'is', 'are', 'was', 'this', 'that', 'underlying', 'but', 'given', 'if', 'as']);
// Before a cue, verbs and scaffolding say nothing about what is uncertain.
const SKIP_BEFORE = new Set(['findings', 'finding', 'pattern', 'which', 'it', 'he', 'she', 'there', 'also', 'most', 'more', 'less', 'very', 'not']);

interface Hedge {
  cue: string;
  /** Stems the hedge is about: the words after it ... */
  scope: string[];
  /** ... or, for "X is likely", the words before it. */
  before: string[];
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
    // "X is likely", "X cannot be excluded": the words just before the cue, in the same clause.
    const lead = text.slice(Math.max(0, m.index! - 80), m.index!);
    const clauseStart = Math.max(...[...'.;:!?()[]'].map((c) => lead.lastIndexOf(c))) + 1;
    const before: string[] = [];
    for (const w of wordsOf(lead.slice(clauseStart), 40).slice(-4)) {
      if (!WEAK.has(w.w) && !SKIP_BEFORE.has(w.w) && /^[a-z]{2}/.test(w.w)) before.push(stem(w.w));
    }
    out.push({ cue: m[0].toLowerCase(), scope, before });
  }
  return out;
}

const lineHedges = perLine((line: CitedLine) => hedgesIn(line.text));

export const certainty: Rule = {
  kind: 'certainty',
  check({ text, cited }: RuleInput) {
    if (STATEMENT_RE.test(text.slice(0, 4000)) || /\?/.test(text)) return undefined;
    // With abbreviations expanded both ways ("OSA" is "obstructive sleep apnea").
    const said = new Set<string>();
    for (const w of wordsOf(text)) {
      const st = stem(w.w);
      said.add(st);
      for (const e of expansions(st)) said.add(e);
    }
    const mentions = (s: string) => said.has(s) || (expansions(s).length > 0 && expansions(s).every((e) => said.has(e)));
    for (const line of cited) {
      for (const h of lineHedges(line)) {
        // The statement names what the note hedges about (two words, or one for a one-word scope).
        const hit = (scope: string[]) => {
          // An abbreviation matched through its expansion is a multi-word term: it counts as two.
          const shared = scope.filter(mentions).reduce((n, s) => n + (said.has(s) ? 1 : 2), 0);
          return shared > 0 && shared >= Math.min(2, scope.length);
        };
        if (hit(h.scope) || hit(h.before)) return `the note says "${h.cue}"`;
      }
    }
    return undefined;
  },
};
