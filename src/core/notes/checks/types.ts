// The shape every statement rule shares. A rule sees one statement and the note lines it cites,
// and answers with a reason a clinician understands, or nothing. Rules are synchronous and
// bounded: they run on every statement of every summary, on model text we do not trust.

/** One cited note line, as the rules see it. Objects are reused across statements, so rules may memoize on them. */
export interface CitedLine {
  /** 1-based line number in the original note. */
  readonly n: number;
  /** The line's own text. */
  readonly text: string;
  /** The label it is listed under ("High-sensitivity troponin T (ref < 22 ng/L):"), or ''. */
  readonly context: string;
  /** Stem lookup over the line and its label, with abbreviations expanded (terms.ts). */
  covers(stem: string): boolean;
}

export interface RuleInput {
  /** The statement without citations or markdown. */
  readonly text: string;
  readonly cited: readonly CitedLine[];
}

export interface Flag {
  /** Stable id of the rule ("laterality", "units"): the summary counts flags by it. */
  kind: string;
  /** Why, in a few words: "laterality: the note says left". */
  reason: string;
}

export interface Rule {
  readonly kind: string;
  /** A reason (without the kind prefix), or undefined when the rule finds nothing wrong. */
  check(input: RuleInput): string | undefined;
}

/** Longest statement the rules read; a summary statement is a sentence, not a document. */
export const MAX_RULE_TEXT = 2000;
