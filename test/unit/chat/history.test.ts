// Saved conversations: the index and one key per conversation (history.ts), over a Map and over
// the JSON files the extension keeps them in (file-store.ts).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ChatHistory, MAX_CONVERSATIONS, type KeyValueStore } from '../../../src/core/chat/history';
import { JsonFileStore } from '../../../src/core/chat/file-store';
import { titleFrom, type Conversation } from '../../../src/core/chat/types';

class MapStore implements KeyValueStore {
  readonly map = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.map.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.map.delete(key);
    else this.map.set(key, value);
  }
}

function conversation(id: string, updated: number, turns = 1): Conversation {
  return {
    id,
    title: `Title ${id}`,
    created: updated - 1,
    updated,
    turns: Array.from({ length: turns }, (_, i) => ({ id: `${id}-${i}`, role: 'user' as const, text: `q${i}`, at: updated })),
  };
}

describe('chat history', () => {
  it('lists the newest first, with the title, the time and the number of turns', async () => {
    const store = new MapStore();
    const history = new ChatHistory(store);
    assert.deepEqual(history.list(), []);
    await history.save(conversation('a', 10, 2));
    await history.save(conversation('b', 30, 1));
    await history.save(conversation('c', 20, 3));
    assert.deepEqual(history.list(), [
      { id: 'b', title: 'Title b', updated: 30, turns: 1 },
      { id: 'c', title: 'Title c', updated: 20, turns: 3 },
      { id: 'a', title: 'Title a', updated: 10, turns: 2 },
    ]);
    assert.deepEqual(history.get('c'), conversation('c', 20, 3));
    assert.equal(history.get('nope'), undefined);
    // Listing does not reorder what the store holds (a copy is sorted).
    assert.deepEqual(
      store.get<{ id: string }[]>('medgemma.chat.index')!.map((s) => s.id),
      ['c', 'b', 'a'],
    );
  });

  it('saving a conversation again replaces its entry, never duplicates it', async () => {
    const store = new MapStore();
    const history = new ChatHistory(store);
    await history.save(conversation('a', 10, 1));
    await history.save(conversation('b', 20, 1));
    await history.save(conversation('a', 30, 4));
    assert.deepEqual(history.list(), [
      { id: 'a', title: 'Title a', updated: 30, turns: 4 },
      { id: 'b', title: 'Title b', updated: 20, turns: 1 },
    ]);
    assert.equal(history.get('a')!.turns.length, 4);
  });

  it(`keeps ${MAX_CONVERSATIONS} conversations: the oldest beyond them are deleted with their key`, async () => {
    assert.equal(MAX_CONVERSATIONS, 200);
    const store = new MapStore();
    const history = new ChatHistory(store);
    for (let i = 0; i < MAX_CONVERSATIONS; i++) await history.save(conversation(`c${i}`, i + 1));
    assert.equal(history.list().length, MAX_CONVERSATIONS);
    assert.ok(history.get('c0'));
    await history.save(conversation('new', 1000));
    const ids = history.list().map((s) => s.id);
    assert.equal(ids.length, MAX_CONVERSATIONS);
    assert.equal(ids[0], 'new');
    assert.ok(!ids.includes('c0'), 'the oldest left the index');
    assert.equal(history.get('c0'), undefined, 'and its conversation was deleted');
    assert.ok(!store.map.has('medgemma.chat.conversation.c0'));
    assert.ok(history.get('c1'), 'the next oldest stays');
  });

  it('delete removes the conversation and its entry, and says whether there was one', async () => {
    const store = new MapStore();
    const history = new ChatHistory(store);
    await history.save(conversation('a', 10));
    await history.save(conversation('b', 20));
    assert.equal(await history.delete('a'), true);
    assert.deepEqual(history.list().map((s) => s.id), ['b']);
    assert.equal(history.get('a'), undefined);
    assert.ok(!store.map.has('medgemma.chat.conversation.a'));
    assert.equal(await history.delete('a'), false);
    assert.deepEqual(history.list().map((s) => s.id), ['b']);
  });

  it('a title is the first line of the question, cut at a word near 60 characters', () => {
    assert.equal(titleFrom('  What is   the dose?\nmore lines'), 'What is the dose?');
    assert.equal(titleFrom('   \n'), 'New chat');
    const sixty = 'x'.repeat(60);
    assert.equal(titleFrom(sixty), sixty);
    const words = 'Summarize the discharge note of the patient admitted for pneumonia last week please';
    assert.equal(titleFrom(words), 'Summarize the discharge note of the patient admitted for…');
    // No space after character 30: cut at 60 exactly.
    const long = `${'a'.repeat(25)} ${'b'.repeat(50)}`;
    assert.equal(titleFrom(long), `${long.slice(0, 60)}…`);
    // A space at 31 is a word boundary to cut at.
    const at31 = `${'a'.repeat(31)} ${'b'.repeat(40)}`;
    assert.equal(titleFrom(at31), `${'a'.repeat(31)}…`);
    const at30 = `${'a'.repeat(30)} ${'b'.repeat(40)}`;
    assert.equal(titleFrom(at30), `${at30.slice(0, 60)}…`);
  });
});

describe('chat history on disk (JsonFileStore)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mg-chat-store-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes one JSON file per key, readable by a new store, owner-only, no temp file left', async () => {
    const folder = path.join(dir, 'not', 'yet');
    const history = new ChatHistory(new JsonFileStore(folder));
    await history.save(conversation('a/../b', 10, 2));
    const files = fs.readdirSync(folder).sort();
    assert.deepEqual(files, ['medgemma.chat.conversation.a_.._b.json', 'medgemma.chat.index.json']);
    for (const f of files) {
      if (process.platform !== 'win32') assert.equal(fs.statSync(path.join(folder, f)).mode & 0o777, 0o600);
    }
    const again = new ChatHistory(new JsonFileStore(folder));
    assert.deepEqual(again.get('a/../b'), conversation('a/../b', 10, 2));
    assert.deepEqual(again.list(), [{ id: 'a/../b', title: 'Title a/../b', updated: 10, turns: 2 }]);
  });

  it('removing a key deletes its file; removing an absent key is no error', async () => {
    const store = new JsonFileStore(dir);
    await store.update('k', { v: 1 });
    assert.ok(fs.existsSync(path.join(dir, 'k.json')));
    await store.update('k', undefined);
    assert.ok(!fs.existsSync(path.join(dir, 'k.json')));
    assert.equal(store.get('k'), undefined);
    await store.update('never', undefined);
    assert.equal(new JsonFileStore(dir).get('k'), undefined);
  });

  it('an unreadable file reads as absent; reads are cached', async () => {
    fs.writeFileSync(path.join(dir, 'bad.json'), '{not json');
    fs.writeFileSync(path.join(dir, 'good.json'), '{"a":1}');
    const store = new JsonFileStore(dir);
    assert.equal(store.get('bad'), undefined);
    assert.deepEqual(store.get('good'), { a: 1 });
    fs.writeFileSync(path.join(dir, 'good.json'), '{"a":2}');
    fs.writeFileSync(path.join(dir, 'bad.json'), '{"fixed":true}');
    assert.deepEqual(store.get('good'), { a: 1 }, 'the cached value');
    assert.equal(store.get('bad'), undefined, 'an absent value is cached too');
    assert.deepEqual(new JsonFileStore(dir).get('good'), { a: 2 });
  });

  it('writes of one key are serialized: the last update wins on disk, even after a failed write', async () => {
    const store = new JsonFileStore(dir);
    const writes = [1, 2, 3, 4, 5].map((v) => store.update('k', { v }));
    await Promise.all(writes);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, 'k.json'), 'utf8')), { v: 5 });
    assert.deepEqual(store.get('k'), { v: 5 });

    // A value that cannot be written (a cycle) fails its own update, not the ones after it.
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const failed = store.update('k', cyclic);
    const after = store.update('k', { v: 6 });
    await assert.rejects(failed, TypeError);
    await after;
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, 'k.json'), 'utf8')), { v: 6 });
    assert.deepEqual(fs.readdirSync(dir), ['k.json']);
  });
});
