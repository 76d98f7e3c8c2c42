// A complete, valid example for the dataset tests to vary.
import type { Example } from '../../../src/core/dataset/example';

export const SHA = 'a'.repeat(64);

export function sampleExample(over: Partial<Example> = {}): Example {
  return {
    v: 1,
    id: 'mx1-abc',
    kind: 'summary',
    split: 'train',
    created: '2026-12-05T10:00:00.000Z',
    source: { file: 'notes/a.txt', sha256: SHA, lines: [1, 12] },
    model: 'medgemma-4b-it',
    template: { id: 'brief', label: 'Brief clinical summary' },
    review: { by: 'dr-a', action: 'edited' },
    deidentified: 'pseudonymized',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Summarize L1: chest pain' }] }],
    chosen: '- Chest pain [L1]',
    rejected: '- Chest pain and fever [L1]',
    ...over,
  };
}
