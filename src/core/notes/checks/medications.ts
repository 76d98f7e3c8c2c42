// A drug a statement names must be named in its cited lines, by generic, brand or common
// abbreviation (drug-names.ts). Another drug of the same class is the classic slip
// (enalapril for ramipril), so the reason names what the note has.

import { DRUG_NAMES, type Drug } from './drug-names';
import { perLine, phraseRegex } from './text';
import type { CitedLine, Rule, RuleInput } from './types';

/** Any drug name (global, case-insensitive); use with matchAll. */
export const DRUG_RE = phraseRegex([...DRUG_NAMES.keys()]);

/** Drugs named in a text, in order, each once. */
export function drugsIn(text: string): Drug[] {
  const seen = new Set<string>();
  const out: Drug[] = [];
  for (const m of text.slice(0, 4000).matchAll(DRUG_RE)) {
    const d = DRUG_NAMES.get(m[0].toLowerCase().replace(/\s+/g, ' '));
    if (d && !seen.has(d.canonical)) {
      seen.add(d.canonical);
      out.push(d);
    }
  }
  return out;
}

const lineDrugs = perLine((line: CitedLine) => drugsIn(`${line.text}\n${line.context}`));

export const medications: Rule = {
  kind: 'medication',
  check({ text, cited }: RuleInput) {
    const said = drugsIn(text);
    if (said.length === 0) return undefined;
    const noted = cited.flatMap((l) => lineDrugs(l));
    for (const d of said) {
      if (noted.some((n) => n.canonical === d.canonical)) continue;
      const sibling = noted.find((n) => n.drugClass === d.drugClass);
      if (sibling) return `the note names ${sibling.canonical}, not ${d.canonical}`;
      return `the cited lines do not name ${d.canonical}`;
    }
    return undefined;
  },
};
