// The dataset folder on disk: examples appended one per line, images stored once by hash,
// deletes and re-splits rewritten atomically, and a line that is not an example reported and
// kept exactly as it was (a hand edit gone wrong is never lost by our rewrite).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DatasetError, DatasetStore, GITIGNORE, newExampleId, sha256 } from '../../../src/core/dataset/store';
import { sampleExample } from './sample';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
const OTHER = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 9, 9, 9]);

describe('dataset store', () => {
  let dir: string;
  let store: DatasetStore;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgemma-dataset-'));
    store = new DatasetStore(path.join(dir, '.medgemma', 'dataset'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('an empty folder reads as no examples; add creates it and appends one line each', async () => {
    assert.deepEqual(await store.read(), { examples: [], problems: [] });
    await store.add(sampleExample({ id: 'one' }));
    await store.add(sampleExample({ id: 'two', split: 'validation' }));
    const text = fs.readFileSync(store.file, 'utf8');
    assert.equal(text.split('\n').length, 3);
    assert.ok(text.endsWith('\n'));
    const { examples } = await store.read();
    assert.deepEqual(examples.map((e) => [e.id, e.split]), [['one', 'train'], ['two', 'validation']]);
  });

  it('stores an image once, named by its SHA-256, and refuses an example whose image is not there', async () => {
    const a = await store.saveImage(PNG, 'png');
    const again = await store.saveImage(PNG, 'png');
    assert.equal(a, `images/${sha256(PNG)}.png`);
    assert.equal(again, a);
    assert.deepEqual(fs.readdirSync(path.join(store.dir, 'images')), [path.basename(a)]);
    assert.deepEqual(new Uint8Array(fs.readFileSync(path.join(store.dir, a))), PNG);
    const missing = `images/${sha256(OTHER)}.png`;
    await assert.rejects(store.add(sampleExample({ messages: [{ role: 'user', content: [{ type: 'image', file: missing }] }] })), (e: unknown) => e instanceof DatasetError && e.message.includes(missing));
    assert.equal(fs.existsSync(store.file), false);
  });

  it('a new dataset folder keeps itself out of git; a .gitignore the user changed is left alone', async () => {
    await store.add(sampleExample({ id: 'one' }));
    assert.equal(fs.readFileSync(path.join(store.dir, '.gitignore'), 'utf8'), GITIGNORE);
    assert.match(GITIGNORE, /\n\*\n$/);
    fs.writeFileSync(path.join(store.dir, '.gitignore'), '# committed on purpose\n');
    await store.add(sampleExample({ id: 'two' }));
    assert.equal(fs.readFileSync(path.join(store.dir, '.gitignore'), 'utf8'), '# committed on purpose\n');
  });

  it('never writes what it could not read back', async () => {
    await assert.rejects(store.add(sampleExample({ id: 'Bad Id' })), /id is not/);
    await assert.rejects(store.add({ ...sampleExample(), chosen: 5 as unknown as string }), /chosen is not text/);
    assert.equal(fs.existsSync(store.file), false);
  });

  it('reports each line that is not an example with its number and reason, and a rewrite keeps it verbatim', async () => {
    await store.add(sampleExample({ id: 'one' }));
    fs.appendFileSync(store.file, '{"oops": \n\n{"v":1,"id":"x"}\n');
    await store.add(sampleExample({ id: 'two' }));
    const { examples, problems } = await store.read();
    assert.deepEqual(examples.map((e) => e.id), ['one', 'two']);
    assert.deepEqual(problems, [
      { line: 2, why: 'not valid JSON' },
      { line: 4, why: 'kind is not one of summary, image, chat' },
    ]);
    assert.equal(await store.setSplit(['two'], 'validation'), 1);
    const lines = fs.readFileSync(store.file, 'utf8').split('\n');
    assert.equal(lines[1], '{"oops": ');
    assert.equal(lines[3], '{"v":1,"id":"x"}');
    assert.equal(JSON.parse(lines[4]).split, 'validation');
    assert.equal(JSON.parse(lines[0]).split, 'train');
  });

  it('setSplit and remove change only what they name, and say how many', async () => {
    for (const id of ['a', 'b', 'c']) await store.add(sampleExample({ id }));
    assert.equal(await store.setSplit(['a', 'zzz'], 'validation'), 1);
    assert.equal(await store.setSplit(['a'], 'validation'), 0);
    assert.equal(await store.remove(['b', 'zzz']), 1);
    assert.equal(await store.remove(['zzz']), 0);
    const { examples } = await store.read();
    assert.deepEqual(examples.map((e) => [e.id, e.split]), [['a', 'validation'], ['c', 'train']]);
    // No temp file left behind by the atomic rewrite.
    assert.deepEqual(fs.readdirSync(store.dir).sort(), ['.gitignore', 'examples.jsonl']);
  });

  it('remove deletes the images no remaining example uses, and keeps shared ones', async () => {
    const shared = await store.saveImage(PNG, 'png');
    const own = await store.saveImage(OTHER, 'png');
    const withImages = (id: string, files: string[]) => sampleExample({ id, kind: 'image', messages: [{ role: 'user', content: [...files.map((file) => ({ type: 'image' as const, file })), { type: 'text', text: 'q' }] }] });
    await store.add(withImages('x', [shared, own]));
    await store.add(withImages('y', [shared]));
    await store.remove(['x']);
    assert.ok(fs.existsSync(path.join(store.dir, shared)));
    assert.equal(fs.existsSync(path.join(store.dir, own)), false);
  });

  it('ids are unique, lowercase and sortable by time', () => {
    const t = new Date('2026-12-05T10:00:00Z');
    const ids = Array.from({ length: 200 }, () => newExampleId(t));
    assert.equal(new Set(ids).size, 200);
    for (const id of ids) assert.match(id, /^[0-9a-z]+-[0-9a-f]{10}$/);
    assert.ok(newExampleId(new Date('2026-12-06T10:00:00Z')) > ids[0]);
  });
});
