// The statement rules, run in order on every statement against its cited lines; the first that
// finds something wrong gives the flag. Order matters only for which reason is shown: the most
// specific rules (a wrong side, unit or drug) come before the general ones (a missing term).
//
// A later pass (a model asked to verify each statement) would run after these, on the
// statements they leave supported, and add flags of its own kind; nothing here assumes it is the last.

import { certainty } from './certainty';
import { clinicalTerms } from './clinical-terms';
import { frequencyRoute } from './frequency-route';
import { laterality } from './laterality';
import { medications } from './medications';
import { people } from './people';
import { time } from './time';
import { MAX_RULE_TEXT, type Flag, type Rule, type RuleInput } from './types';
import { units } from './units';

export type { CitedLine, Flag, Rule, RuleInput } from './types';

export const RULES: readonly Rule[] = [laterality, units, frequencyRoute, medications, people, time, certainty, clinicalTerms];

/** Reason prefixes, where the rule's own message does not start with one. */
const LABEL: Record<string, string> = {
  laterality: 'laterality', units: 'units', medication: 'medication', people: 'people', time: 'time',
  certainty: 'certainty', 'clinical-term': 'not in cited lines',
};

/** The first rule that flags the statement, or undefined when none does. */
export function runRules(input: RuleInput, rules: readonly Rule[] = RULES): Flag | undefined {
  const bounded = input.text.length > MAX_RULE_TEXT ? { ...input, text: input.text.slice(0, MAX_RULE_TEXT) } : input;
  for (const rule of rules) {
    const msg = rule.check(bounded);
    if (msg === undefined) continue;
    const label = LABEL[rule.kind];
    return { kind: rule.kind, reason: label ? `${label}: ${msg}` : msg };
  }
  return undefined;
}
