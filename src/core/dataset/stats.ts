// What a dataset holds, counted: for `medgemma dataset stats` and the Dataset view.

import type { Example } from './example';
import type { Problem } from './store';

export interface DatasetStats {
  examples: number;
  byKind: Record<string, number>;
  /** Summary examples by template label. */
  byTemplate: Record<string, number>;
  split: { train: number; validation: number };
  review: { edited: number; accepted: number };
  deidentified: { pseudonymized: number; asWritten: number };
  /** Lines of examples.jsonl that are not examples. */
  problems: Problem[];
}

function tally(items: readonly Example[], key: (e: Example) => string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of items) {
    const k = key(e);
    if (k !== undefined) out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

export function datasetStats(examples: readonly Example[], problems: readonly Problem[] = []): DatasetStats {
  const n = (f: (e: Example) => boolean) => examples.filter(f).length;
  return {
    examples: examples.length,
    byKind: tally(examples, (e) => e.kind),
    byTemplate: tally(examples, (e) => e.template?.label),
    split: { train: n((e) => e.split === 'train'), validation: n((e) => e.split === 'validation') },
    review: { edited: n((e) => e.review.action === 'edited'), accepted: n((e) => e.review.action === 'accepted') },
    deidentified: { pseudonymized: n((e) => e.deidentified === 'pseudonymized'), asWritten: n((e) => e.deidentified === 'as-written') },
    problems: [...problems],
  };
}

/** The stats as lines for a terminal or a tooltip. */
export function statsText(s: DatasetStats): string {
  const list = (r: Record<string, number>) => Object.entries(r).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  const lines = [
    `${s.examples} example${s.examples === 1 ? '' : 's'}: ${list(s.byKind)}`,
    `templates: ${list(s.byTemplate)}`,
    `split: train ${s.split.train}, validation ${s.split.validation}`,
    `reviewed: ${s.review.edited} corrected, ${s.review.accepted} accepted as drafted`,
    `identifiers: ${s.deidentified.pseudonymized} pseudonymized, ${s.deidentified.asWritten} as written`,
  ];
  for (const p of s.problems) lines.push(`line ${p.line} of examples.jsonl is not an example: ${p.why}`);
  return lines.join('\n');
}
