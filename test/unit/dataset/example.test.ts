// A line of examples.jsonl is read as hostile: every field and bound is checked, and an image
// part can only name a file of the dataset's own images folder.
import * as assert from 'node:assert/strict';
import { type Example, ExampleError, imagesOf, LIMITS, parseExample, promptText } from '../../../src/core/dataset/example';
import { SHA, sampleExample } from './sample';

const bad = (mutate: (e: Record<string, unknown>) => void, why: RegExp) => {
  const e = JSON.parse(JSON.stringify(sampleExample())) as Record<string, unknown>;
  mutate(e);
  assert.throws(() => parseExample(e), (err: unknown) => err instanceof ExampleError && why.test(err.message));
};

describe('dataset example: parseExample', () => {
  it('reads back exactly what was written', () => {
    const e = sampleExample({ messages: [{ role: 'user', content: [{ type: 'image', file: `images/${SHA}.png` }, { type: 'text', text: 'What is this?' }] }] });
    assert.deepEqual(parseExample(JSON.parse(JSON.stringify(e))), e);
    assert.deepEqual(imagesOf(e), [`images/${SHA}.png`]);
    assert.match(promptText(e), /<image images\/a+\.png>\nWhat is this\?/);
  });

  it('a multi-turn chat alternates user and assistant and ends with the question', () => {
    const turns = [
      { role: 'user', content: [{ type: 'text', text: 'q1' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'a1' }] },
      { role: 'user', content: [{ type: 'text', text: 'q2' }] },
    ] as Example['messages'];
    assert.equal(parseExample(sampleExample({ kind: 'chat', messages: turns })).messages.length, 3);
    bad((e) => (e.messages = turns.slice(0, 2)), /end with an answer/);
    bad((e) => (e.messages = [turns[1], turns[0], turns[2]]), /turn 1 should be the user's/);
    bad((e) => (e.messages = []), /not a list of turns/);
  });

  it('an image part never leaves the dataset folder', () => {
    for (const file of ['../../../etc/passwd', '/etc/passwd', `images/../${SHA}.png`, `images/${SHA}.svg`, 'https://evil.example/x.png', `images/${SHA.slice(1)}.png`]) {
      bad((e) => (e.messages = [{ role: 'user', content: [{ type: 'image', file }] }]), /not one of the dataset's images/);
    }
  });

  it('refuses wrong types, unknown values and missing fields, each named', () => {
    bad((e) => (e.v = 2), /format version/);
    bad((e) => (e.id = '../x'), /id is not/);
    bad((e) => (e.kind = 'constructor'), /kind is not one of summary, image, chat/);
    bad((e) => (e.split = 'test'), /split/);
    bad((e) => (e.created = 'yesterday'), /created is not a date/);
    bad((e) => (e.review = { by: 'x', action: 'approved' }), /review/);
    bad((e) => (e.deidentified = 'yes'), /deidentified/);
    bad((e) => delete e.chosen, /chosen is not text/);
    bad((e) => (e.source = { file: 'a', sha256: 'abc' }), /source.sha256/);
    bad((e) => (e.source = { file: 'a', sha256: SHA, lines: [5, 2] }), /source.lines/);
    bad((e) => (e.template = 'brief'), /template is not/);
    bad((e) => (e.messages = [{ role: 'user', content: [{ type: 'video', file: 'x' }] }]), /neither text nor image/);
    assert.throws(() => parseExample([]), /not a JSON object/);
    assert.throws(() => parseExample(null), /not a JSON object/);
  });

  it('bounds what one line may hold', () => {
    bad((e) => (e.chosen = 'x'.repeat(LIMITS.text + 1)), /chosen is longer than/);
    bad((e) => (e.model = 'm'.repeat(LIMITS.field + 1)), /model is longer than/);
    bad((e) => (e.messages = Array.from({ length: LIMITS.turns + 1 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: [] }))), /more than 200 turns/);
    bad((e) => (e.messages = [{ role: 'user', content: Array.from({ length: LIMITS.parts + 1 }, () => ({ type: 'text', text: '' })) }]), /at most 64 parts/);
  });

  it('keeps no field it does not know (a __proto__ key included)', () => {
    const e = JSON.parse(`{"__proto__": {"polluted": true}, "extra": 1, ${JSON.stringify(sampleExample()).slice(1)}`) as unknown;
    const parsed = parseExample(e) as unknown as Record<string, unknown>;
    assert.equal(parsed.extra, undefined);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
  });
});
