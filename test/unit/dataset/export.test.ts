// Exports checked against the formats as documented (docs/fine-tuning-formats.md): TRL's
// conversational vision rows (and its preference rows) for hf-chat, Vertex AI's messages JSONL
// for vertex; the split reproducible; nothing left out without its reason; the card honest.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Example } from '../../../src/core/dataset/example';
import { exportDataset, splitExamples } from '../../../src/core/dataset/export';
import { DatasetError, DatasetStore } from '../../../src/core/dataset/store';
import { validate } from '../../../src/core/dataset/validate';
import { estimateTokens } from '../../../src/core/server/budget';
import { sampleExample } from './sample';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 7]);

/** TRL "Vision datasets": messages of {role, content: [{type: image} | {type: text, text}]}; images in order of the image parts. */
function assertTrlVisionRow(row: Record<string, unknown>, dir: string): void {
  assert.deepEqual(Object.keys(row).sort(), ['id', 'images', 'kind', 'messages']);
  const messages = row.messages as Array<{ role: string; content: Array<Record<string, unknown>> }>;
  messages.forEach((m, i) => {
    assert.equal(m.role, i % 2 === 0 ? 'user' : 'assistant');
    for (const p of m.content) {
      if (p.type === 'image') assert.deepEqual(Object.keys(p), ['type']);
      else assert.ok(p.type === 'text' && typeof p.text === 'string' && Object.keys(p).length === 2, JSON.stringify(p));
    }
  });
  assert.equal(messages[messages.length - 1].role, 'assistant');
  const placeholders = messages.flatMap((m) => m.content).filter((p) => p.type === 'image').length;
  const images = row.images as string[];
  assert.equal(images.length, placeholders);
  for (const img of images) assert.ok(fs.statSync(path.join(dir, img)).isFile(), `${img} is not beside the rows`);
}

/** Vertex AI open-model tuning: {"messages": [{"role": system|user|assistant, "content": "<string>"}]}, ending with the answer. */
function assertVertexRow(row: Record<string, unknown>): void {
  assert.deepEqual(Object.keys(row), ['messages']);
  const messages = row.messages as Array<Record<string, unknown>>;
  for (const m of messages) {
    assert.deepEqual(Object.keys(m), ['role', 'content']);
    assert.ok(['system', 'user', 'assistant'].includes(m.role as string));
    assert.equal(typeof m.content, 'string');
  }
  assert.equal(messages[messages.length - 1].role, 'assistant');
}

const rows = (file: string) => fs.readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('dataset export', () => {
  let dir: string;
  let store: DatasetStore;
  let image: string;
  let examples: Example[];
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgemma-export-'));
    store = new DatasetStore(path.join(dir, 'dataset'));
    image = await store.saveImage(PNG, 'png');
    examples = [
      ...Array.from({ length: 8 }, (_, i) => sampleExample({ id: `s${i}`, chosen: `- Finding ${i} [L1]`, ...(i % 2 ? { rejected: undefined, review: { by: 'dr-b', action: 'accepted' as const } } : {}) })),
      sampleExample({ id: 'img1', kind: 'image', template: undefined, rejected: undefined, messages: [{ role: 'user', content: [{ type: 'image', file: image }, { type: 'text', text: 'Is there a fracture?' }] }], chosen: 'No fracture is seen.' }),
      sampleExample({ id: 'chat1', kind: 'chat', template: undefined, rejected: undefined, split: 'validation', messages: [
        { role: 'user', content: [{ type: 'text', text: 'What is CHA2DS2-VASc?' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'A stroke risk score.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Which items?' }] },
      ], chosen: 'Heart failure, hypertension, age, diabetes, stroke, vascular disease, sex.' }),
    ];
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('splits reproducibly: marked examples go to validation, the share is drawn with the seed', () => {
    const a = splitExamples(examples, 0.8, 7);
    const b = splitExamples([...examples].reverse(), 0.8, 7);
    assert.deepEqual(a.validation.map((e) => e.id).sort(), b.validation.map((e) => e.id).sort());
    assert.equal(a.validation.length, 2);
    assert.ok(a.validation.some((e) => e.id === 'chat1'));
    assert.equal(a.train.length + a.validation.length, examples.length);
    const other = [1, 2, 3, 4, 5].map((seed) => splitExamples(examples, 0.5, seed).validation.map((e) => e.id).sort().join());
    assert.ok(new Set(other).size > 1, 'the seed changes the draw');
    assert.equal(splitExamples(examples, 1, 0).validation.map((e) => e.id).join(), 'chat1');
    assert.throws(() => splitExamples(examples, 0, 0), RangeError);
  });

  it('hf-chat: TRL rows with the images beside them, preference pairs of corrected examples, and the card', async () => {
    const out = path.join(dir, 'out');
    const r = await exportDataset(examples, { format: 'hf-chat', dir: store.dir, out, train: 0.8, seed: 1, excluded: [{ id: 'dup1', why: 'the same question and answer as example s0' }], now: new Date('2026-12-05T00:00:00Z') });
    assert.deepEqual([r.train, r.validation, r.images, r.skipped.length], [8, 2, 1, 0]);
    const all = [...rows(path.join(out, 'train.jsonl')), ...rows(path.join(out, 'validation.jsonl'))];
    assert.equal(all.length, 10);
    for (const row of all) assertTrlVisionRow(row, out);
    const img = all.find((row) => row.id === 'img1')!;
    assert.deepEqual(img.messages, [{ role: 'user', content: [{ type: 'image' }, { type: 'text', text: 'Is there a fracture?' }] }, { role: 'assistant', content: [{ type: 'text', text: 'No fracture is seen.' }] }]);
    const chat = all.find((row) => row.id === 'chat1')!;
    assert.equal((chat.messages as unknown[]).length, 4);
    // Preference rows (TRL conversational preference): prompt turns, chosen and rejected answers.
    const prefs = fs.readdirSync(path.join(out, 'preference')).flatMap((f) => rows(path.join(out, 'preference', f)));
    assert.equal(prefs.length, 4);
    assert.equal(r.preference, 4);
    for (const p of prefs) {
      assert.deepEqual(Object.keys(p).sort(), ['chosen', 'id', 'images', 'kind', 'prompt', 'rejected']);
      assert.equal((p.prompt as Array<{ role: string }>).at(-1)!.role, 'user');
      assert.deepEqual(p.rejected, [{ role: 'assistant', content: [{ type: 'text', text: '- Chest pain and fever [L1]' }] }]);
      assert.notDeepEqual(p.chosen, p.rejected);
    }
    const card = fs.readFileSync(path.join(out, 'README.md'), 'utf8');
    assert.match(card, /^# MedGemma fine-tuning data \(hf-chat\)/);
    assert.match(card, /\| summary: Brief clinical summary \| \d \| \d \|/);
    assert.match(card, /\| \*\*all\*\* \| \*\*8\*\* \| \*\*2\*\* \|/);
    assert.match(card, /1 example marked for validation by hand/);
    assert.match(card, /\| dup1 \| the same question and answer as example s0 \|/);
    assert.match(card, /10 of 10 examples had their identifiers/);
    assert.match(card, /huggingface\.co\/docs\/trl\/dataset_formats/);
    assert.ok(!card.includes('notes/a.txt'), 'source file names stay out of the card');
    assert.ok(!card.includes('dr-a'), 'reviewer names stay out of the card');
    assert.deepEqual(r.files.sort(), ['README.md', 'preference/train.jsonl', 'preference/validation.jsonl', 'train.jsonl', 'validation.jsonl'].filter((f) => fs.existsSync(path.join(out, f))).sort());
  });

  it('vertex: text-only messages JSONL; the image example is left out with its reason; a too-large validation share is warned of', async () => {
    const out = path.join(dir, 'vx');
    const asWritten = examples.map((e, i) => (i === 0 ? { ...e, deidentified: 'as-written' as const } : e));
    const r = await exportDataset(asWritten, { format: 'vertex', dir: store.dir, out, train: 0.5, seed: 0, excluded: [] });
    assert.deepEqual(r.skipped, [{ id: 'img1', why: "it has an image, and Vertex AI's tuning of open models takes text only" }]);
    assert.equal(r.train + r.validation, 9);
    for (const row of [...rows(path.join(out, 'train.jsonl')), ...rows(path.join(out, 'validation.jsonl'))]) assertVertexRow(row);
    assert.equal(fs.existsSync(path.join(out, 'images')), false);
    const card = fs.readFileSync(path.join(out, 'README.md'), 'utf8');
    assert.match(card, /more than a quarter the size of the training file/);
    assert.match(card, /⚠ 1 example holds the text as written/);
    assert.match(card, /\| img1 \| it has an image/);
    assert.match(card, /MedGemma itself is not on the list/);
  });

  it('refuses a folder that is not empty, or a file, and writes nothing there', async () => {
    const out = path.join(dir, 'full');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'mine.txt'), 'keep');
    await assert.rejects(exportDataset(examples, { format: 'hf-chat', dir: store.dir, out, train: 0.9, seed: 0, excluded: [] }), (e: unknown) => e instanceof DatasetError && /is not empty: give a new folder/.test(e.message));
    assert.deepEqual(fs.readdirSync(out), ['mine.txt']);
    await assert.rejects(exportDataset(examples, { format: 'hf-chat', dir: store.dir, out: path.join(out, 'mine.txt'), train: 0.9, seed: 0, excluded: [] }), /is a file/);
    const onlyImages = examples.filter((e) => e.kind === 'image');
    await assert.rejects(exportDataset(onlyImages, { format: 'vertex', dir: store.dir, out: path.join(dir, 'none'), train: 0.9, seed: 0, excluded: [] }), /No example can be exported as vertex \(1 left out: it has an image/);
  });

  it('validate leaves out empty, duplicate, image-less and too-long examples, each with its reason', async () => {
    const gone = `images/${'b'.repeat(64)}.png`;
    const list = [
      sampleExample({ id: 'ok' }),
      sampleExample({ id: 'dup' }),
      sampleExample({ id: 'empty', chosen: '  \n' }),
      sampleExample({ id: 'noq', messages: [{ role: 'user', content: [{ type: 'text', text: ' ' }] }] }),
      sampleExample({ id: 'lost', messages: [{ role: 'user', content: [{ type: 'image', file: gone }, { type: 'text', text: 'x' }] }] }),
      sampleExample({ id: 'long', chosen: 'word '.repeat(3000) }),
    ];
    const counted: number[] = [];
    const v = await validate(list, { dir: store.dir, contextLength: 1000, count: async (m) => {
      const tokens = estimateTokens(m);
      counted.push(tokens);
      return { tokens, exact: true };
    } });
    assert.deepEqual(v.valid.map((e) => e.id), ['ok']);
    assert.deepEqual(v.excluded.map((x) => x.id), ['dup', 'empty', 'noq', 'lost', 'long']);
    assert.match(v.excluded[0].why, /the same question and answer as example ok/);
    assert.match(v.excluded[1].why, /answer is empty/);
    assert.match(v.excluded[2].why, /question is empty/);
    assert.match(v.excluded[3].why, new RegExp(`image ${gone} is missing`));
    assert.match(v.excluded[4].why, /^\d+ tokens, more than the model's context of 1000$/);
    assert.equal(v.exactCounts, true);
    // An image counts its 256 tokens on top of the text.
    const img = await store.saveImage(PNG, 'png');
    const withImage = sampleExample({ id: 'im', messages: [{ role: 'user', content: [{ type: 'image', file: img }, { type: 'text', text: 'q' }] }] });
    const tight = await validate([withImage], { dir: store.dir, contextLength: 200, count: async () => ({ tokens: 100, exact: false }) });
    assert.match(tight.excluded[0].why, /^356 tokens \(estimated\), more than/);
    assert.equal(tight.exactCounts, false);
    // Without a context length nothing is counted.
    assert.equal((await validate(list.slice(5), { dir: store.dir, count: async () => assert.fail('counted') })).valid.length, 1);
  });
});
