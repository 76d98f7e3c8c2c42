import * as assert from 'node:assert/strict';
import { isMedGemmaError } from '../../../src/core/server/errors';
import { parseCitations } from '../../../src/core/notes/citations';
import { findTemplate } from '../../../src/core/notes/templates';
import { SummaryFailedError, summarizeNote, type SummarizeInput, type SummaryProgress } from '../../../src/core/notes/summarize';
import { FakeChat } from './fake-chat';
import { fixtureNote, syntheticCourse } from './fixtures';

const brief = findTemplate('brief')!;
const input = (text: string, extra: Partial<SummarizeInput> = {}): SummarizeInput => ({ text, template: brief, maxTokens: 512, temperature: 0, ...extra });

function record() {
  const progress: string[] = [];
  let streamed = '';
  const parts: string[] = [];
  return {
    progress,
    parts,
    get streamed() {
      return streamed;
    },
    opts: {
      onProgress: (p: SummaryProgress) => progress.push(`${p.phase} ${p.part}/${p.parts}`),
      onDelta: (t: string) => {
        streamed += t;
      },
      onPart: (p: { start: number; end: number; part: number; parts: number }) => parts.push(`${p.part}/${p.parts} L${p.start}-L${p.end}`),
    },
  };
}

const citedLines = (summary: string) => parseCitations(summary).flatMap(([a, b]) => [a, b]);

describe('notes/summarize (test double)', () => {
  const short = syntheticCourse(2);
  const long = syntheticCourse(40);

  it('summarizes a note that fits in one streamed call', async () => {
    const chat = new FakeChat(8192);
    const rec = record();
    const r = await summarizeNote(chat, input(short), rec.opts);
    assert.equal(chat.calls.length, 1);
    assert.equal(r.parts, 1);
    assert.deepEqual(rec.progress, ['summarize 1/1']);
    assert.deepEqual(rec.parts, [], 'onPart is for map-reduce only');
    assert.equal(rec.streamed, r.summary);
    assert.equal(r.finishReason, 'stop');
    assert.equal(r.partial, false);
    assert.equal(r.model, 'fake-medgemma');
    assert.deepEqual(r.range, [1, short.split('\n').length]);
    assert.ok(r.statements.length > 10);
    assert.ok(r.statements.every((s) => s.supported), r.statements.filter((s) => !s.supported).map((s) => s.reason).join('; '));
    assert.equal(r.usage?.promptTokens, chat.calls[0].promptTokens);
  });

  it('shortens the answer rather than splitting when only a large maxTokens does not fit', async () => {
    const chat = new FakeChat(4096);
    const text = syntheticCourse(10);
    const r = await summarizeNote(chat, input(text, { maxTokens: 3500 }));
    assert.equal(chat.calls.length, 1);
    assert.equal(r.parts, 1);
    assert.ok(chat.calls[0].maxTokens < 3500 && chat.calls[0].maxTokens >= 1024, `max_tokens ${chat.calls[0].maxTokens}`);
  });

  it('summarizes only the selected lines and checks citations against that range', async () => {
    const chat = new FakeChat(8192);
    const r = await summarizeNote(chat, input(long, { range: [30, 60] }));
    assert.deepEqual(r.range, [30, 60]);
    const cited = citedLines(r.summary);
    assert.ok(cited.length > 0 && cited.every((n) => n >= 30 && n <= 60));
    const prompt = chat.calls[0];
    assert.equal(prompt.kind, 'summary');
  });

  it('map-reduces a note that does not fit: parts in order, one streamed combine', async () => {
    const chat = new FakeChat(4096);
    const rec = record();
    const r = await summarizeNote(chat, input(long), rec.opts);
    const summaries = chat.calls.filter((c) => c.kind === 'summary');
    const combines = chat.calls.filter((c) => c.kind === 'combine');
    assert.ok(r.parts > 2, `${r.parts} parts`);
    assert.equal(summaries.length, r.parts);
    assert.ok(combines.length >= 1);
    assert.equal(chat.calls[chat.calls.length - 1].kind, 'combine');
    assert.deepEqual(rec.progress.slice(0, r.parts), Array.from({ length: r.parts }, (_, i) => `summarize ${i + 1}/${r.parts}`));
    assert.equal(rec.progress[rec.progress.length - 1], 'combine 1/1');
    assert.equal(rec.parts.length, r.parts);
    assert.equal(rec.streamed, r.summary, 'only the final phase is streamed');
    // Every request fitted (the double rejects those that do not) and the summary spans the note.
    for (const c of chat.calls) assert.ok(c.promptTokens + c.maxTokens <= 4096);
    const cited = citedLines(r.summary);
    assert.ok(Math.min(...cited) < 100 && Math.max(...cited) > long.split('\n').length - 200, 'cites the start and the end of the note');
    assert.ok(r.statements.length > 0 && r.statements.every((s) => s.supported));
    assert.equal(r.partial, false);
    assert.equal(r.usage?.totalTokens, chat.calls.reduce((n, c) => n + c.promptTokens, 0) + r.usage!.completionTokens);
  });

  it('combines hierarchically when the part summaries themselves do not fit', async () => {
    const chat = new FakeChat(2048);
    const rec = record();
    const r = await summarizeNote(chat, input(long, { maxTokens: 400 }), rec.opts);
    const combines = chat.calls.filter((c) => c.kind === 'combine');
    assert.ok(combines.length >= 2, `${combines.length} combine calls`);
    assert.ok(rec.progress.some((p) => /^combine 1\/[2-9]/.test(p)), rec.progress.join(', '));
    assert.equal(rec.streamed, r.summary);
    assert.ok(r.statements.every((s) => s.supported));
  });

  it('stops at a cancel and keeps the finished parts plus the part in progress', async () => {
    const chat = new FakeChat(4096, { cancelAt: 2 });
    const r = await summarizeNote(chat, input(long));
    assert.equal(chat.calls.length, 3, 'no call after the cancel');
    assert.equal(r.partial, true);
    assert.equal(r.finishReason, 'cancelled');
    for (const c of chat.calls) assert.ok(r.summary.includes(c.text.split('\n')[0]), 'every part summary so far is kept');
    assert.match(r.summary, /^### Lines 1-\d+/);
    assert.ok(r.statements.length > 0 && r.statements.every((s) => s.supported));
  });

  it('does not start another call once the signal is aborted', async () => {
    const ac = new AbortController();
    const chat = new FakeChat(4096, { beforeCall: (i) => i === 1 && ac.abort() });
    const r = await summarizeNote(chat, input(long), { signal: ac.signal, onPart: () => ac.abort() });
    assert.equal(chat.calls.length, 1);
    assert.equal(r.finishReason, 'cancelled');
    assert.equal(r.partial, true);
    assert.ok(r.summary.includes(chat.calls[0].text));
  });

  it('keeps the combine inputs when the final combine is cancelled', async () => {
    const probe = new FakeChat(4096);
    await summarizeNote(probe, input(long));
    const last = probe.calls.length - 1;
    const chat = new FakeChat(4096, { cancelAt: last });
    const r = await summarizeNote(chat, input(long));
    assert.equal(r.finishReason, 'cancelled');
    assert.match(r.summary, /## Part summaries \(not yet combined\)/);
    for (const c of chat.calls.slice(0, -1)) assert.ok(r.summary.includes(c.text.split('\n')[0]));
  });

  it('on a server error midway, throws a MedGemmaError that carries the finished parts', async () => {
    const chat = new FakeChat(4096, { failAt: 2 });
    const err = await summarizeNote(chat, input(long)).then(
      () => assert.fail('should have thrown'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof SummaryFailedError);
    assert.ok(isMedGemmaError(err));
    assert.equal(err.kind, 'interrupted');
    assert.equal(err.message, 'The server closed the connection mid-answer.');
    assert.ok(err.partial.includes(chat.calls[0].text), 'detail.partial has part 1');
    assert.ok(err.partial.includes(chat.calls[1].text), 'and part 2');
    assert.ok(err.partial.includes(chat.calls[2].text), 'and what part 3 had streamed');
    assert.equal(err.result.summary, err.partial);
    assert.equal(err.result.interrupted, err.message);
    assert.equal(err.result.partial, true);
    assert.ok(err.result.statements.length > 0);
  });

  it('rethrows the original error when nothing was produced', async () => {
    const chat = new FakeChat(8192, { failAt: 0, failEmpty: true });
    await assert.rejects(summarizeNote(chat, input(short)), (e: unknown) => isMedGemmaError(e) && !(e instanceof SummaryFailedError));
  });

  it('reports a part cut at the token limit', async () => {
    const chat = new FakeChat(4096, { cutAt: 1 });
    const r = await summarizeNote(chat, input(long));
    assert.deepEqual(r.cutParts, [2]);
    assert.equal(r.partial, false, 'the final summary itself is complete');
  });

  it('says the context is too small instead of sending doomed requests', async () => {
    const chat = new FakeChat(600);
    await assert.rejects(summarizeNote(chat, input(long, { maxTokens: 100 })), (e: unknown) => isMedGemmaError(e) && e.kind === 'context-overflow');
    assert.equal(chat.calls.length, 0);
  });

  it('rejects an empty selection and a bad range as bad requests', async () => {
    const chat = new FakeChat(4096);
    await assert.rejects(summarizeNote(chat, input('a\n\n\nb', { range: [2, 3] })), /Lines 2-3 are empty/);
    await assert.rejects(summarizeNote(chat, input('a\nb', { range: [5, 9] })), (e: unknown) => isMedGemmaError(e) && e.kind === 'bad-request');
  });

  for (const context of [8192, 32768]) {
    it(`summarizes icu-course-long.txt against a ${context / 1024}k context`, async function () {
      const text = fixtureNote(this, 'icu-course-long.txt');
      const chat = new FakeChat(context);
      const rec = record();
      const r = await summarizeNote(chat, input(text, { maxTokens: 1024 }), rec.opts);
      assert.ok(r.parts > 1);
      for (const c of chat.calls) assert.ok(c.promptTokens + c.maxTokens <= context);
      assert.equal(rec.streamed, r.summary);
      const cited = citedLines(r.summary);
      assert.ok(Math.min(...cited) < 200 && Math.max(...cited) > 2000);
      assert.ok(r.statements.length > 20);
      assert.deepEqual(r.statements.filter((s) => !s.supported), []);
    });
  }
});
