// Conversation -> messages within the context: the order of cuts, and that every cut is named.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { JsonFileStore } from '../../../src/core/chat/file-store';
import { ChatHistory } from '../../../src/core/chat/history';
import { buildPrompt, SYSTEM_PROMPT } from '../../../src/core/chat/prompt';
import { titleFrom, type Attachment, type ChatTurn } from '../../../src/core/chat/types';
import { shapeMessages } from '../../../src/core/server/messages';

let n = 0;
const turn = (role: 'user' | 'assistant', text: string, attachments?: Attachment[]): ChatTurn => ({ id: `t${n++}`, role, text, attachments, at: 0 });
const file = (name: string, text: string): Attachment => ({ kind: 'file', id: `f${n++}`, name, text });
const textOf = (c: unknown) => JSON.stringify(c);

describe('chat prompt: budget and cuts', () => {
  it('sends the system prompt, the history and the question when everything fits', () => {
    const turns = [turn('user', 'What is HbA1c?'), turn('assistant', 'A marker of glucose.'), turn('user', 'And the target?')];
    const p = buildPrompt(turns, { contextLength: 8192, answerTokens: 1024 });
    assert.ok(p.fits);
    assert.deepEqual(p.cuts, []);
    assert.deepEqual(p.messages.map((m) => m.role), ['system', 'user', 'assistant', 'user']);
    assert.equal(p.messages[0].content, SYSTEM_PROMPT);
    // Gemma's template: after shaping, roles alternate starting with user.
    assert.deepEqual(shapeMessages(p.messages).map((m) => m.role), ['user', 'assistant', 'user']);
  });

  it('puts attachments before the question, named, and images as image parts', () => {
    const img: Attachment = { kind: 'image', id: 'i1', name: 'cxr.png', dataUrl: 'data:image/png;base64,AAAA' };
    const p = buildPrompt([turn('user', 'Describe', [file('note.txt', 'BP 120/80'), img])], { contextLength: 8192, answerTokens: 512 });
    const q = p.messages[p.messages.length - 1];
    assert.ok(Array.isArray(q.content));
    assert.equal(q.content[0].type, 'image_url');
    const text = q.content.find((x) => x.type === 'text');
    assert.match(textOf(text), /--- file note.txt ---\\nBP 120\/80\\n--- end of note.txt ---\\n\\nDescribe/);
  });

  it('leaves out the oldest turns first, and says so', () => {
    const big = 'word '.repeat(600);
    const turns = [turn('user', big), turn('assistant', big), turn('user', 'short q'), turn('assistant', 'short a'), turn('user', 'now?')];
    const p = buildPrompt(turns, { contextLength: 1400, answerTokens: 400 });
    assert.ok(p.fits);
    assert.deepEqual(p.messages.map((m) => m.role), ['system', 'user', 'assistant', 'user']);
    assert.match(p.cuts.join(), /the 2 oldest messages were left out/);
    assert.ok(p.tokens <= 1400 - 400);
  });

  it('shortens the new question\'s attachment to fit and names it', () => {
    const long = 'Line of the clinical note with findings.\n'.repeat(800);
    const p = buildPrompt([turn('user', 'Summarize', [file('long-note.txt', long)])], { contextLength: 2048, answerTokens: 512 });
    assert.ok(p.fits);
    assert.match(p.cuts.join(), /long-note\.txt was shortened to its first \d+ %/);
    assert.match(textOf(p.messages.at(-1)?.content), /cut here: the rest did not fit/);
    assert.ok(p.tokens <= 2048 - 512, `${p.tokens} tokens`);
  });

  it('drops earlier questions\' attachments before dropping turns', () => {
    const turns = [turn('user', 'first', [file('a.txt', 'x '.repeat(1000))]), turn('assistant', 'ok'), turn('user', 'second')];
    const p = buildPrompt(turns, { contextLength: 1200, answerTokens: 300 });
    assert.deepEqual(p.messages.map((m) => m.role), ['system', 'user', 'assistant', 'user']);
    assert.match(p.cuts.join(), /attachments of earlier questions were left out/);
    assert.doesNotMatch(textOf(p.messages), /a\.txt/);
  });

  it('reports a question that cannot fit at all', () => {
    const p = buildPrompt([turn('user', 'word '.repeat(3000))], { contextLength: 1024, answerTokens: 256 });
    assert.equal(p.fits, false);
    assert.match(p.cuts[0], /need about \d+ tokens; the model has room for \d+/);
  });

  it('titles come from the first line, cut at a word', () => {
    assert.equal(titleFrom('  What is the HbA1c target\nfor this patient?'), 'What is the HbA1c target');
    assert.ok(titleFrom('word '.repeat(40)).endsWith('…'));
    assert.ok(titleFrom('word '.repeat(40)).length <= 61);
  });
});

describe('chat history store', () => {
  const memory = () => {
    const m = new Map<string, unknown>();
    return { get: <T>(k: string) => m.get(k) as T | undefined, update: async (k: string, v: unknown) => void (v === undefined ? m.delete(k) : m.set(k, structuredClone(v))), m };
  };

  it('saves, lists newest first, reopens and deletes', async () => {
    const store = memory();
    const h = new ChatHistory(store);
    await h.save({ id: 'a', title: 'A', created: 1, updated: 1, turns: [turn('user', 'q')] });
    await h.save({ id: 'b', title: 'B', created: 2, updated: 2, turns: [] });
    await h.save({ id: 'a', title: 'A', created: 1, updated: 3, turns: [turn('user', 'q'), turn('assistant', 'r')] });
    assert.deepEqual(h.list().map((s) => [s.id, s.turns]), [['a', 2], ['b', 0]]);
    // A new store over the same data (a window reload) sees the same.
    const again = new ChatHistory(store);
    assert.equal(again.get('a')?.turns.length, 2);
    assert.equal(await again.delete('a'), true);
    assert.deepEqual(again.list().map((s) => s.id), ['b']);
    assert.equal(again.get('a'), undefined);
    assert.ok(![...store.m.keys()].some((k) => k.endsWith('.a')));
  });
});

describe('chat history on disk', () => {
  it('a second store over the same folder (a window reload) reads what the first wrote', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mg-chat-'));
    try {
      const a = new ChatHistory(new JsonFileStore(dir));
      await a.save({ id: 'c1', title: 'T', created: 1, updated: 1, turns: [turn('user', 'q'), turn('assistant', 'r')] });
      await a.save({ id: 'c2', title: 'U', created: 2, updated: 2, turns: [] });
      await a.delete('c2');
      const b = new ChatHistory(new JsonFileStore(dir));
      assert.deepEqual(b.list().map((s) => s.id), ['c1']);
      assert.equal(b.get('c1')?.turns[1].text, 'r');
      assert.equal(b.get('c2'), undefined);
      for (const f of fs.readdirSync(dir)) assert.equal(fs.statSync(path.join(dir, f)).mode & 0o077, 0, `${f} is readable by others`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
