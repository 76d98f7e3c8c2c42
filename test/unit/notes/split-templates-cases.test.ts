// Boundary cases for splitting a long note (split.ts), the summary templates (templates.ts), and
// summarizeNote's decisions and failures (summarize.ts, summary-failure.ts): where each cut goes
// at its threshold, re-packing a part the server counts over budget, the exact problem messages,
// the model check after the rules, the split budget at its floor, and what a failure keeps.
import * as assert from 'node:assert/strict';
import { numberNote, type NumberedNote } from '../../../src/core/notes/numbering';
import { buildSummaryMessages } from '../../../src/core/notes/prompts';
import { splitNote } from '../../../src/core/notes/split';
import { summarizeNote, type SummaryProgress, type SummaryResult } from '../../../src/core/notes/summarize';
import { failed, SummaryFailedError } from '../../../src/core/notes/summary-failure';
import { BUILT_IN_TEMPLATES, findTemplate, resolveTemplates } from '../../../src/core/notes/templates';
import { PrivacyScope } from '../../../src/core/privacy/gate';
import { MedGemmaError } from '../../../src/core/server/errors';
import type { ChatMessage, ChatRequest, ChatResult, ChatService, FinishReason } from '../../../src/core/server/types';

/** One token per character of the prompt block. */
const chars = (t: string) => t.length;
/** A 40-character prompt line ("L1: " + 36) for lines 1-9. */
const line = (s: string) => s.padEnd(36, 'x');
const cuts = async (note: NumberedNote, budget: number, count: (t: string) => number = chars) =>
  (await splitNote(note, budget, count)).map((p) => [p.start, p.end]);

describe('notes/split: cases at the edges', () => {
  it('a note counted at exactly the budget is one part, counted once', async () => {
    const note = numberNote(['Fever 38.5 overnight.', 'Cough productive of green sputum.', 'Started ceftriaxone.'].join('\n'));
    const calls: string[] = [];
    const parts = await splitNote(note, note.block.length, (t) => (calls.push(t), t.length));
    assert.deepEqual(parts, [{ start: 1, end: 3, tokens: note.block.length }]);
    assert.deepEqual(calls, [note.block]);
  });

  it('says which budget it refused', async () => {
    const note = numberNote('a');
    await assert.rejects(splitNote(note, 0, chars), (e: unknown) => e instanceof RangeError && e.message === 'Token budget must be positive (got 0).');
    await assert.rejects(splitNote(note, Number.NaN, chars), (e: unknown) => e instanceof RangeError && e.message === 'Token budget must be positive (got NaN).');
  });

  it('a line of spaces is a blank line: the paragraph after it is a cut', async () => {
    const lines = [line('a1'), line('a2'), line('a3'), line('a4'), line('a5'), '   ', line('b1'), line('b2'), line('b3'), line('b4'), line('b5'), line('b6')];
    assert.deepEqual(await cuts(numberNote(lines.join('\n')), 330), [[1, 6], [7, 12]]);
  });

  it('a section heading at exactly half the budget is a cut (at least half, not more than half)', async () => {
    // Lines 1-3 (100 + 10 + 90 tokens) fill the 200 and line 4 does not fit: the cut before
    // "PLAN:" leaves line 1 alone, exactly half the budget.
    const note = numberNote(['x'.repeat(95), 'PLAN:', 'y'.repeat(85), 'z'.repeat(85)].join('\n'));
    assert.deepEqual(await splitNote(note, 200, chars), [
      { start: 1, end: 1, tokens: 99 },
      { start: 2, end: 4, tokens: 189 },
    ]);
  });

  it('a section heading on the very last line is a cut like any other', async () => {
    // Lines 1-3 fill the 200 tokens; the last line's heading is the cut, not the one at line 2.
    const note = numberNote(['x'.repeat(95), 'PLAN:', 'y'.repeat(85), 'ASSESSMENT AND PLAN FOR THE WEEKEND'].join('\n'));
    assert.deepEqual(await cuts(note, 200), [[1, 3], [4, 4]]);
  });

  it('a dated note header on the very last line is a cut like any other', async () => {
    const note = numberNote(['x'.repeat(95), 'PLAN:', 'y'.repeat(85), '02/14/2024 Progress note by Dr Smith'].join('\n'));
    assert.deepEqual(await cuts(note, 200), [[1, 3], [4, 4]]);
  });

  it('a heading just above the blank line before a dated header is still a cut', async () => {
    // Lines 1-3 fill the 200 tokens and "PLAN:" (line 4) does not fit: the cut goes before it,
    // not back at "LABS"; the blank line and header below belong to the next note, not to PLAN.
    const note = numberNote(['x'.repeat(105), 'LABS', 'y'.repeat(76), 'PLAN:', '', '02/14/2024 Progress note', 'z'.repeat(145)].join('\n'));
    assert.deepEqual(await cuts(note, 200), [[1, 3], [4, 7]]);
  });

  for (const [label, range] of [['a whole note', undefined], ['a range of the file', [3, 10]]] as const) {
    it(`never cuts between a rule and a header that also reads as a heading ("DAY 3"), in ${label}`, async () => {
      // The dated-note cut (before the blank line) would leave the part under 30 % full, and
      // "DAY 3" itself belongs to its rules: the part is cut between two lines instead.
      const body = ['x'.repeat(20), '', '==========', '==========', '==========', 'DAY 3', 'y'.repeat(10), 'z'.repeat(10)];
      const note = range ? numberNote(['before', 'before', ...body.slice(0, 6), 'y'.repeat(9), 'z'.repeat(9)].join('\n'), range) : numberNote(body.join('\n'));
      const shift = note.start - 1;
      assert.deepEqual(await cuts(note, 100), [[1 + shift, 7 + shift], [8 + shift, 8 + shift]]);
    });
  }

  it('the last part is kept whole once it fits, even with a dated header inside it', async () => {
    const lines = [...Array.from({ length: 8 }, (_, i) => line(`a${i + 1}`)), '02/14/2024 Progress note', line('b1'), line('b2'), line('b3'), line('b4'), '02/15/2024 Progress note', line('c1'), line('c2')];
    assert.deepEqual(await cuts(numberNote(lines.join('\n')), 330), [[1, 8], [9, 16]]);
  });

  it('a part counted at exactly the budget fits: it is not oversize', async () => {
    assert.deepEqual(await splitNote(numberNote('aaaa\nbbbbbbbb'), 12, chars), [
      { start: 1, end: 1, tokens: 8 },
      { start: 2, end: 2, tokens: 12 },
    ]);
  });

  it('a part the server counts over budget is re-packed at its own ratio, raised 5 % a try', async () => {
    // 24 lines of 39 characters; the whole note counts one token a character (12 lines a part).
    // The server counts lines 1-12 (and 13-24) at 600 > 500: re-packed at 600/479 tokens a
    // character x 1.05, 9 lines fit. Lines 1-9 (and 13-21) then count 601: re-packed at
    // 601/359 x 1.10, 6 lines fit (7 would at x 1.05 or less). Other parts count 50 a line.
    const note = numberNote(Array.from({ length: 24 }, (_, i) => 'x'.repeat(36 - String(i + 1).length)).join('\n'));
    const server: Record<string, number> = { '1-12': 600, '13-24': 600, '1-9': 601, '13-21': 601 };
    const count = (t: string) => {
      const ns = [...t.matchAll(/^L(\d+):/gm)].map((m) => m[1]);
      const span = `${ns[0]}-${ns[ns.length - 1]}`;
      return span === '1-24' ? t.length : (server[span] ?? 50 * ns.length);
    };
    assert.deepEqual(await splitNote(note, 500, count), [
      { start: 1, end: 6, tokens: 300 },
      { start: 7, end: 9, tokens: 150 },
      { start: 10, end: 12, tokens: 150 },
      { start: 13, end: 18, tokens: 300 },
      { start: 19, end: 21, tokens: 150 },
      { start: 22, end: 24, tokens: 150 },
    ]);
  });

  it('blank lines are never sent to the counter, so a counter with overhead still merges them', async () => {
    // A chat-message counter adds a few tokens to any text, even an empty one.
    const seen: string[] = [];
    const count = (t: string) => (seen.push(t), Math.ceil(t.length / 3) + 5);
    const note = numberNote(`${'x'.repeat(600)}\n\n\n\n`);
    assert.deepEqual(await splitNote(note, 60, count), [{ start: 1, end: 5, tokens: Math.ceil(604 / 3) + 5, oversize: true }]);
    assert.ok(!seen.includes(''), 'the counter was asked about an empty text');
  });

  it('only blank lines are merged: a part with text that counts 0 tokens stays its own part', async () => {
    // This counter finds nothing to count in a line of rules.
    const count = (t: string) => 10 * t.split('\n').filter((l) => /[a-z]/.test(l)).length;
    const note = numberNote(['Fever 39 C overnight', '==========', 'Cough improving'].join('\n'));
    assert.deepEqual(await splitNote(note, 10, count), [
      { start: 1, end: 1, tokens: 10 },
      { start: 2, end: 2, tokens: 0 },
      { start: 3, end: 3, tokens: 10 },
    ]);
  });

  it('a line missing from the note\'s map counts as blank: no cost, and a paragraph starts after it', async () => {
    const sparse = (lines: string[], missing: number): NumberedNote => {
      const note = numberNote(lines.join('\n'));
      const map = new Map(note.lines);
      map.delete(missing);
      return { ...note, lines: map };
    };
    const para = [line('a1'), line('a2'), line('a3'), line('a4'), line('a5'), '', line('b1'), line('b2'), line('b3'), line('b4'), line('b5'), line('b6')];
    assert.deepEqual(await cuts(sparse(para, 6), 330), [[1, 6], [7, 12]]);
    const ten = Array.from({ length: 10 }, (_, i) => (i === 4 ? '' : line(`n${i}`)));
    assert.deepEqual(await cuts(sparse(ten, 5), 170), [[1, 3], [4, 7], [8, 10]]);
  });
});

describe('notes/templates: cases at the edges', () => {
  it('a setting that is not a list gives the built-ins, with one problem', () => {
    for (const v of [{ id: 'x' }, 'brief', 3]) {
      assert.deepEqual(resolveTemplates(v), {
        templates: [...BUILT_IN_TEMPLATES],
        problems: ['medgemma.summary.templates must be a list of templates; it was ignored.'],
      });
    }
  });

  it('null, a list or a number in the list is "not an object"', () => {
    const r = resolveTemplates([null, ['id', 'x'], 7]);
    assert.deepEqual(r.templates, [...BUILT_IN_TEMPLATES]);
    assert.deepEqual(
      r.problems,
      [1, 2, 3].map((i) => `Template ${i} is not an object like { "id": ..., "label": ..., "instructions": ... }; it was ignored.`),
    );
  });

  it('trims the id, label, description and instructions of a user template', () => {
    const r = resolveTemplates([{ id: '  handoff ', label: ' ICU handoff\n', description: '\tShort ', instructions: '  One line per system.  ' }]);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.templates[r.templates.length - 1], {
      id: 'handoff',
      label: 'ICU handoff',
      description: 'Short',
      instructions: 'One line per system.',
      builtIn: false,
    });
  });

  it('an id of spaces is an empty id, and every problem is said in full', () => {
    const r = resolveTemplates([
      { id: '   ', label: 'L', instructions: 'x' },
      { id: 'a b', label: 'L', instructions: 'x' },
      { id: 'ok', label: ' ', instructions: 'x', description: 1 },
      { id: 'ok2', label: 'L', instructions: 'x' },
      { id: 'ok2', label: 'L', instructions: 'y' },
    ]);
    assert.deepEqual(r.problems, [
      'Template 1: "id" must be a non-empty string. It was ignored.',
      'Template 2 ("a b"): "id" may only use letters, digits, ".", "_" and "-" (at most 64). It was ignored.',
      'Template 3 ("ok"): "label" must be a non-empty string; "description" must be a string. It was ignored.',
      'Template 5 ("ok2"): another template already uses this id; only the first one is used.',
    ]);
  });

  it('finds a template by id with spaces around it, the exact id before one differing in case', () => {
    assert.equal(findTemplate('  soap ')?.id, 'soap');
    assert.equal(findTemplate('SOAP')?.id, 'soap');
    const { templates } = resolveTemplates([{ id: 'Brief', label: 'Mine', instructions: 'Three bullets.' }]);
    assert.equal(findTemplate('Brief', templates)?.label, 'Mine');
    assert.equal(findTemplate('brief', templates)?.label, 'Brief clinical summary');
    assert.equal(findTemplate('BRIEF', templates)?.label, 'Brief clinical summary', 'the first case-insensitive match');
  });
});

// A scripted model whose token count is the number of characters: it answers summary requests
// with `summary` and the model check's requests with a verdict.
const tokensOf = (messages: ChatMessage[]) => messages.reduce((n, m) => n + (typeof m.content === 'string' ? m.content.length : 0), 0);
const SUPPORTED = '{"verdict":"supported","words":""}';

interface Script {
  context?: number;
  summary?: string;
  finishReason?: FinishReason;
  verdict?(req: ChatRequest): string;
  /** Runs while the summary request is answered. */
  during?(): void;
}

class Scripted implements ChatService {
  readonly requests: ChatRequest[] = [];
  constructor(private readonly s: Script = {}) {}
  async chat(req: ChatRequest): Promise<ChatResult> {
    this.requests.push(req);
    const base = { model: 'google/medgemma', promptTokens: tokensOf(req.messages), maxTokens: req.maxTokens };
    if (req.feature === 'citation-check') return { ...base, text: this.s.verdict?.(req) ?? SUPPORTED, finishReason: 'stop' };
    this.s.during?.();
    return { ...base, text: this.s.summary ?? '- Fever 38.5 overnight [L1]', finishReason: this.s.finishReason ?? 'stop' };
  }
  async countTokens(messages: ChatMessage[]) {
    return { tokens: tokensOf(messages), exact: true };
  }
  async contextLength() {
    return this.s.context ?? 100_000;
  }
}

const template = findTemplate('brief')!;
const noteText = 'Fever 38.5 overnight.\nCough productive of green sputum.';
const twoBullets = '- Fever 38.5 overnight [L1]\n- Cough productive of green sputum [L2]';
const features = (chat: Scripted) => chat.requests.map((r) => r.feature);
const statementKinds = (r: SummaryResult) => r.statements.map((s) => s.kind ?? 'ok');

describe('notes/summarize: cases at the edges', () => {
  it('with verify "rules+model", checks each statement with the same model and privacy scope, with progress', async () => {
    const chat = new Scripted({ summary: twoBullets, verdict: (req) => (String(req.messages[1].content).includes('Cough') ? '{"verdict":"contradicted","words":"green"}' : SUPPORTED) });
    const privacy = new PrivacyScope();
    const progress: string[] = [];
    const rulesChecked: SummaryResult[] = [];
    const r = await summarizeNote(
      chat,
      { text: noteText, template, maxTokens: 200, temperature: 0, model: 'medgemma', privacy, verify: 'rules+model' },
      { onProgress: (p: SummaryProgress) => progress.push(`${p.phase} ${p.part}/${p.parts}`), onRulesChecked: (x) => rulesChecked.push(x) },
    );
    assert.deepEqual(features(chat), ['summary', 'citation-check', 'citation-check']);
    assert.deepEqual(chat.requests.map((q) => [q.model, q.privacy === privacy]), [['medgemma', true], ['medgemma', true], ['medgemma', true]]);
    assert.deepEqual(progress, ['summarize 1/1', 'verify 0/2', 'verify 1/2', 'verify 2/2']);
    assert.deepEqual(statementKinds(r), ['ok', 'model-contradicted']);
    assert.deepEqual(r.modelCheck, { total: 2, checked: 2, flagged: 1, unreadable: 0, failed: 0, skipped: 0, requests: 2, structured: true });
    assert.equal(rulesChecked.length, 1);
    assert.equal(rulesChecked[0].modelCheck, undefined);
    assert.deepEqual(statementKinds(rulesChecked[0]), ['ok', 'ok']);
  });

  it('the model check stops with the summary\'s signal', async () => {
    const ac = new AbortController();
    const chat = new Scripted({ summary: twoBullets, verdict: () => (ac.abort(), SUPPORTED) });
    const r = await summarizeNote(chat, { text: noteText, template, maxTokens: 200, temperature: 0, verify: 'rules+model' }, { signal: ac.signal });
    assert.deepEqual(features(chat), ['summary', 'citation-check']);
    assert.equal(r.modelCheck?.stopped, 'cancelled');
  });

  it('a cancelled summary is not checked by the model', async () => {
    const chat = new Scripted({ summary: '- Fever 38.5 overnight [L1]', finishReason: 'cancelled' });
    let rulesChecked = 0;
    const r = await summarizeNote(chat, { text: noteText, template, maxTokens: 200, temperature: 0, verify: 'rules+model' }, { onRulesChecked: () => rulesChecked++ });
    assert.deepEqual(features(chat), ['summary']);
    assert.equal(r.finishReason, 'cancelled');
    assert.equal('modelCheck' in r, false);
    assert.equal(rulesChecked, 0);
  });

  it('a summary whose signal was aborted while it finished is not checked by the model', async () => {
    const ac = new AbortController();
    const chat = new Scripted({ summary: twoBullets, during: () => ac.abort() });
    const r = await summarizeNote(chat, { text: noteText, template, maxTokens: 200, temperature: 0, verify: 'rules+model' }, { signal: ac.signal });
    assert.deepEqual(features(chat), ['summary']);
    assert.equal(r.finishReason, 'stop');
    assert.equal('modelCheck' in r, false);
  });

  it('a summary cut at the token limit is still checked by the model (its cut statement is not sent)', async () => {
    const chat = new Scripted({ summary: '- Fever 38.5 overnight [L1]\n- Cough productive of', finishReason: 'length' });
    const r = await summarizeNote(chat, { text: noteText, template, maxTokens: 200, temperature: 0, verify: 'rules+model' });
    assert.deepEqual(features(chat), ['summary', 'citation-check']);
    assert.deepEqual(statementKinds(r), ['ok', 'cut-off']);
  });

  it('a short note that fits exactly is sent whole, although a split of it could not fit', async () => {
    const note = numberNote(noteText);
    const prompt = tokensOf(buildSummaryMessages(template, note));
    const margin = 64; // 2 % of a context under 3,200 tokens is less than the floor
    const context = prompt + 200 + margin;
    assert.ok(context <= 3200);
    // The map step's budget for this context is far below its 256-token floor.
    const overhead = tokensOf(buildSummaryMessages(template, { ...note, block: '' }, { index: 99, count: 99 }));
    assert.ok(context - 200 - margin - overhead < 256);
    const chat = new Scripted({ context });
    const r = await summarizeNote(chat, { text: noteText, template, maxTokens: 200, temperature: 0 });
    assert.deepEqual(chat.requests.map((q) => q.maxTokens), [200]);
    assert.equal(r.parts, 1);
  });

  describe('the map step\'s budget at its 256-token floor', () => {
    const text = Array.from({ length: 10 }, (_, i) => `Day ${i + 1}: temperature 37.${i}, heart rate 8${i}, walking in the hallway.`).join('\n');
    const note = numberNote(text);
    // What is left for the note in each part: context - part answer (100) - margin (64) - the prompt without the note.
    const overhead = tokensOf(buildSummaryMessages(template, { ...note, block: '' }, { index: 99, count: 99 }));
    const floor = 256 + 100 + 64 + overhead;

    it('a budget of exactly 256 tokens is enough: the note is split', async () => {
      assert.ok(floor <= 3200 && floor / 4 >= 100, 'margin 64 and part answer 100 hold');
      assert.ok(tokensOf(buildSummaryMessages(template, note)) + 100 + 64 > floor, 'the note does not fit whole');
      const chat = new Scripted({ context: floor });
      const r = await summarizeNote(chat, { text, template, maxTokens: 100, temperature: 0 });
      assert.ok(r.parts > 1, `${r.parts} parts`);
    });

    it('one token less is a context too small, said before any request', async () => {
      const chat = new Scripted({ context: floor - 1 });
      await assert.rejects(summarizeNote(chat, { text, template, maxTokens: 100, temperature: 0 }), (e: unknown) => {
        assert.ok(e instanceof MedGemmaError);
        assert.equal(e.kind, 'context-overflow');
        assert.equal(
          e.message,
          `The model's context (${floor - 1} tokens) is too small to summarize this note; lower medgemma.summary.maxTokens or use a model with a longer context.`,
        );
        return true;
      });
      assert.equal(chat.requests.length, 0);
    });
  });

  it('a bad range keeps the numbering error as its cause', async () => {
    await assert.rejects(summarizeNote(new Scripted(), { text: noteText, template, maxTokens: 200, temperature: 0, range: [2, 1] }), (e: unknown) => {
      assert.ok(e instanceof MedGemmaError);
      assert.equal(e.kind, 'bad-request');
      assert.ok(e.detail.cause instanceof RangeError);
      assert.equal(e.message, 'Line range 2-1 is not valid: use first-last, 1-based, with first <= last.');
      assert.equal(e.message, e.detail.cause.message);
      return true;
    });
  });

  describe('which last statement of a cut summary is "cut off"', () => {
    const cut = (summary: string) => summarizeNote(new Scripted({ summary, finishReason: 'length' }), { text: noteText, template, maxTokens: 200, temperature: 0 });

    it('not a last statement that has its citation', async () => {
      assert.deepEqual(statementKinds(await cut(twoBullets)), ['ok', 'ok']);
    });

    it('not an uncited statement followed by a heading', async () => {
      const r = await cut('- Fever 38.5 overnight [L1]\n- Cough productive of green sputum\n## Plan');
      assert.equal(r.statements[1].kind === 'cut-off', false);
      assert.equal(r.statements[1].supported, false);
    });

    it('an uncited statement at the end, trailing newline and spaces aside', async () => {
      const r = await cut('- Fever 38.5 overnight [L1]\n- Cough productive of \n  \n');
      assert.deepEqual(r.statements.map((s) => [s.kind ?? 'ok', s.reason ?? '']), [
        ['ok', ''],
        ['cut-off', 'cut off before its citation'],
      ]);
    });
  });
});

describe('notes/summary-failure: cases at the edges', () => {
  const resultOf = (summary: string) => ({ summary }) as SummaryResult;

  it('an error that is not a MedGemmaError becomes "interrupted", said in full, with the error as its cause', () => {
    const boom = new Error('socket hang up');
    const seen: string[] = [];
    const err = failed(boom, (partial) => (seen.push(partial), resultOf('- Fever [L1]')));
    assert.deepEqual(seen, ['']);
    assert.ok(err instanceof SummaryFailedError);
    assert.equal(err.kind, 'interrupted');
    assert.equal(err.message, 'The summary stopped unexpectedly (socket hang up); the text so far is kept.');
    assert.equal(err.partial, '- Fever [L1]');
    const original = err.detail.cause;
    assert.ok(original instanceof MedGemmaError);
    assert.equal(original.detail.cause, boom);
  });

  it('a partial summary of only spaces and newlines is nothing: the original error is thrown', () => {
    const e = new MedGemmaError('server-error', 'The server failed.', { partial: ' \n ' });
    assert.equal(failed(e, (partial) => resultOf(partial)), e);
    const plain = new Error('boom');
    assert.equal(failed(plain, () => resultOf('\n\t')), plain);
  });
});
