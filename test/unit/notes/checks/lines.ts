// Helpers for the rule tests: cited lines built the way citations.ts builds them.
import type { CitedLine, Rule } from '../../../../src/core/notes/checks';
import { TermSet, isContentWord, stem, tokenize } from '../../../../src/core/notes/terms';

export function line(text: string, n = 1, context = ''): CitedLine {
  const terms = new TermSet();
  for (const t of tokenize(`${text}\n${context}`)) if (t.kind === 'word' && isContentWord(t.norm)) terms.addExpanded(stem(t.norm));
  return { n, text, context, covers: (s) => terms.covers(s) };
}

/** The rule's reason for a statement citing these lines, or 'ok'. */
export function verdict(rule: Rule, statement: string, ...cited: string[]): string {
  return rule.check({ text: statement, cited: cited.map((t, i) => line(t, i + 1)) }) ?? 'ok';
}
