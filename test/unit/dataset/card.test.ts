// The dataset card, line by line: what a reader of the export relies on.
import * as assert from 'node:assert/strict';
import { writeCard, type CardInput } from '../../../src/core/dataset/card';
import { sampleExample } from './sample';

const base = (over: Partial<CardInput> = {}): CardInput => ({
  format: 'hf-chat',
  split: {
    train: [sampleExample({ id: 'a', model: 'm1' }), sampleExample({ id: 'b', model: 'm1', review: { by: 'dr-b', action: 'accepted' }, rejected: undefined })],
    validation: [sampleExample({ id: 'c', kind: 'image', template: undefined, model: 'm2', split: 'validation', source: { file: 'x.png', sha256: 'b'.repeat(64) } })],
  },
  result: { train: 2, validation: 1, preference: 2, images: 1, skipped: [] },
  excluded: [],
  train: 0.8,
  seed: 7,
  now: new Date('2026-12-05T12:00:00Z'),
  ...over,
});

describe('dataset: the card', () => {
  it('states date, counts per kind, split, sources, models, review and de-identification', () => {
    const card = writeCard(base());
    const lines = card.split('\n');
    assert.equal(lines[0], '# MedGemma fine-tuning data (hf-chat)');
    assert.match(card, /Exported by MedGemma for VS Code on 2026-12-05 from examples clinicians reviewed/);
    assert.ok(lines.includes('| image answer | 0 | 1 |') || lines.includes('| image | 0 | 1 |'), card);
    assert.ok(lines.includes('| summary: Brief clinical summary | 2 | 0 |'), card);
    assert.ok(lines.includes('| **all** | **2** | **1** |'));
    assert.ok(lines.includes('- Split: 80 % for training, seed 7; 1 example marked for validation by hand. The same dataset, share and seed give the same split.'), card);
    assert.ok(lines.includes('- Preference pairs (corrected examples): 2. Images: 1.'));
    assert.ok(lines.includes("- 3 examples from 2 distinct source files (their names and SHA-256 hashes are in the dataset's examples.jsonl, not in this card)."), card);
    assert.ok(lines.includes('- Drafted by: m1 (2), m2 (1).'), card);
    assert.ok(lines.includes('- Reviewed: 2 corrected by a clinician, 1 accepted as drafted; 2 reviewer(s).'), card);
    assert.match(card, /- 3 of 3 examples had their identifiers/);
    assert.ok(!card.includes('⚠'), 'nothing to warn of');
    assert.ok(!card.includes('### Left out'));
    assert.match(card, /`preference\/` holds the examples a clinician corrected/);
    assert.ok(!/Every example fits/.test(card), 'no length sentence without a context length');
  });

  it('says how lengths were counted, what was left out and why, and warns of text as written', () => {
    const split = base().split;
    split.train[0] = { ...split.train[0], deidentified: 'as-written' };
    const card = writeCard(base({ split, contextLength: 8192, exactCounts: false, excluded: [{ id: 'z', why: 'the answer | is empty' }], result: { train: 2, validation: 1, preference: 0, images: 1, skipped: [{ id: 'y', why: 'image' }] } }));
    assert.match(card, /Every example fits the model's context of 8192 tokens \(some lengths estimated: the server could not count them\)\./);
    assert.match(card, /### Left out \(2\)\n\n\| example \| why \|\n\|---\|---\|\n\| z \| the answer \\\| is empty \|\n\| y \| image \|/);
    assert.match(card, /- ⚠ 1 example holds the text as written\. Review it before this data leaves the team\./);
    assert.ok(!card.includes('`preference/`'), 'no preference line without preference pairs');
    assert.match(writeCard(base({ contextLength: 4096, exactCounts: true })), /context of 4096 tokens \(counted by the server\)\./);
  });

  it('vertex: its own format text, and the quarter rule for the validation file', () => {
    const card = writeCard(base({ format: 'vertex' }));
    assert.match(card, /^# MedGemma fine-tuning data \(vertex\)/);
    assert.match(card, /more than a quarter the size of the training file/);
    assert.match(card, /open-model-tuning/);
    assert.ok(!card.includes('Preference pairs'));
    const fine = base({ format: 'vertex' });
    fine.split = { train: [...fine.split.train, ...fine.split.train, ...fine.split.train, ...fine.split.train], validation: fine.split.validation };
    assert.ok(!writeCard(fine).includes('more than a quarter the size'), 'a validation file of a quarter or less is fine');
  });
});
