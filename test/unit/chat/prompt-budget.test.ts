// buildPrompt at its budget boundaries: how attachments are written (selection with and without
// line numbers, files, images at their fixed cost), which earlier turns are kept, the question's
// attachments cut to exactly what fits, and the exact token counts and cut notes reported.
//
// Token arithmetic used below (estimateTextTokens): a digit is one token, spaces are free, a
// line break is one, a run of letters costs one token per 3 letters. So a question "q" costs
// 8 (per turn) + 1 = 9, and a file named "a" holding n digits costs 20 + n.
import * as assert from 'node:assert/strict';
import { attachmentTokens, buildPrompt, SYSTEM_PROMPT, type Budget } from '../../../src/core/chat/prompt';
import type { Attachment, ChatTurn } from '../../../src/core/chat/types';
import { estimateTextTokens, IMAGE_TOKENS } from '../../../src/core/server/budget';

let n = 0;
const turn = (role: 'user' | 'assistant', text: string, attachments?: Attachment[]): ChatTurn => ({ id: `t${n++}`, role, text, attachments, at: 0 });
const digits = (count: number) => '0123456789'.repeat(Math.ceil(count / 10)).slice(0, count);
const file = (name: string, text: string): Attachment => ({ kind: 'file', id: `f${n++}`, name, text });
const image = (name: string, dataUrl: string): Attachment => ({ kind: 'image', id: `i${n++}`, name, dataUrl });
const fileBlock = (name: string, text: string) => `--- file ${name} ---\n${text}\n--- end of ${name} ---`;
const NOTE = "\n[… cut here: the rest did not fit in the model's context]";

/** What every prompt costs besides its turns: the system prompt and its turn overhead. */
const FIXED = 8 + estimateTextTokens(SYSTEM_PROMPT);
/** A budget leaving exactly `room` tokens for the turns (question and history). */
const withRoom = (room: number): Budget => ({ contextLength: room + FIXED + 100, answerTokens: 100 });
const system = { role: 'system', content: SYSTEM_PROMPT };
const BIG = { contextLength: 100_000, answerTokens: 1000 };

describe('chat prompt: how attachments are written', () => {
  it('writes a selection with its line numbers', () => {
    const sel: Attachment = { kind: 'selection', id: 's1', name: 's.ts', text: 'abc', lines: [3, 4] };
    const p = buildPrompt([turn('user', 'q', [sel])], BIG);
    assert.deepEqual(p.messages, [system, { role: 'user', content: '--- s.ts (lines 3-4) ---\nabc\n--- end of s.ts ---\n\nq' }]);
    assert.equal(attachmentTokens(sel), 30);
    assert.equal(p.tokens, 9 + 30 + FIXED);
  });

  it('writes a selection without line numbers when it has none', () => {
    const sel: Attachment = { kind: 'selection', id: 's2', name: 's.ts', text: 'abc' };
    const p = buildPrompt([turn('user', 'q', [sel])], BIG);
    assert.deepEqual(p.messages, [system, { role: 'user', content: '--- s.ts ---\nabc\n--- end of s.ts ---\n\nq' }]);
    assert.equal(attachmentTokens(sel), 23);
  });

  it('sends a question with only text attachments as plain text, blocks first', () => {
    const p = buildPrompt([turn('user', 'q', [file('a', '1'), file('b', '22')])], BIG);
    assert.deepEqual(p.messages, [system, { role: 'user', content: `${fileBlock('a', '1')}\n\n${fileBlock('b', '22')}\n\nq` }]);
    assert.equal(p.tokens, 9 + 21 + 22 + FIXED);
    assert.deepEqual(p.cuts, []);
    assert.equal(p.fits, true);
  });

  it('sends a question without attachments as its bare text', () => {
    const p = buildPrompt([turn('user', 'q')], BIG);
    assert.deepEqual(p, { messages: [system, { role: 'user', content: 'q' }], tokens: 9 + FIXED, fits: true, cuts: [] });
  });

  it('counts an image at its fixed cost and sends it as an image part before the text', () => {
    const img = image('x.png', 'data:image/png;base64,AAAA');
    assert.equal(attachmentTokens(img), IMAGE_TOKENS);
    assert.equal(IMAGE_TOKENS, 256);
    const p = buildPrompt([turn('user', 'q', [img])], BIG);
    assert.deepEqual(p.messages, [
      system,
      { role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }, { type: 'text', text: 'q' }] },
    ]);
    assert.equal(p.tokens, 9 + 256 + FIXED);
  });

  it('puts all images first, in order, and the text blocks with the question last', () => {
    const p = buildPrompt([turn('user', 'q', [image('x.png', 'data:1'), file('a', '1'), image('y.png', 'data:2')])], BIG);
    assert.deepEqual(p.messages.at(-1), {
      role: 'user',
      content: [
        { type: 'image_url', image_url: { url: 'data:1' } },
        { type: 'image_url', image_url: { url: 'data:2' } },
        { type: 'text', text: `${fileBlock('a', '1')}\n\nq` },
      ],
    });
    assert.equal(p.tokens, 9 + 256 + 21 + 256 + FIXED);
  });
});

describe('chat prompt: which earlier turns are sent', () => {
  it('skips empty and blank earlier turns, keeps a turn with only attachments, and sends the question once', () => {
    const turns = [
      turn('user', 'x'),
      turn('assistant', ''),
      turn('user', '   ', [file('a', '0')]),
      turn('assistant', ' \n\t '),
      turn('user', 'q'),
    ];
    const p = buildPrompt(turns, BIG);
    assert.deepEqual(p.messages, [
      system,
      { role: 'user', content: 'x' },
      { role: 'user', content: `${fileBlock('a', '0')}\n\n   ` },
      { role: 'user', content: 'q' },
    ]);
    // x: 9; the blank question with its file: 8 + 21; q: 9.
    assert.equal(p.tokens, 9 + 29 + 9 + FIXED);
    assert.deepEqual(p.cuts, []);
  });

  it('keeps earlier attachments when everything fits exactly', () => {
    // History: "h" with a 10-digit file (8 + 1 + 30 = 39) and the answer "r" (9); the question 9.
    const turns = [turn('user', 'h', [file('a', digits(10))]), turn('assistant', 'r'), turn('user', 'q')];
    const p = buildPrompt(turns, withRoom(57));
    assert.deepEqual(p, {
      messages: [system, { role: 'user', content: `${fileBlock('a', digits(10))}\n\nh` }, { role: 'assistant', content: 'r' }, { role: 'user', content: 'q' }],
      tokens: 57 + FIXED,
      fits: true,
      cuts: [],
    });
  });

  it('leaves out earlier attachments, and says so, when one token is missing', () => {
    const turns = [turn('user', 'h', [file('a', digits(10))]), turn('assistant', 'r'), turn('user', 'q')];
    const p = buildPrompt(turns, withRoom(56));
    assert.deepEqual(p, {
      messages: [system, { role: 'user', content: 'h' }, { role: 'assistant', content: 'r' }, { role: 'user', content: 'q' }],
      tokens: 27 + FIXED,
      fits: true,
      cuts: ['attachments of earlier questions were left out'],
    });
  });

  it('keeps every earlier turn when the history fits exactly', () => {
    const turns = [turn('user', 'h'), turn('assistant', 'r'), turn('user', 'q')];
    const p = buildPrompt(turns, withRoom(27));
    assert.deepEqual(p, {
      messages: [system, { role: 'user', content: 'h' }, { role: 'assistant', content: 'r' }, { role: 'user', content: 'q' }],
      tokens: 27 + FIXED,
      fits: true,
      cuts: [],
    });
  });

  it('one token over, drops the oldest question and the answer left without it', () => {
    const turns = [turn('user', 'h'), turn('assistant', 'r'), turn('user', 'q')];
    const p = buildPrompt(turns, withRoom(26));
    assert.deepEqual(p, {
      messages: [system, { role: 'user', content: 'q' }],
      tokens: 9 + FIXED,
      fits: true,
      cuts: ['the 2 oldest messages were left out'],
    });
  });

  it('names a single left-out message in the singular', () => {
    // The failed (empty) answer after "x" is skipped, so two questions follow each other.
    const turns = [turn('user', 'x'), turn('assistant', ''), turn('user', 'y'), turn('assistant', 'r'), turn('user', 'q')];
    const p = buildPrompt(turns, withRoom(27));
    assert.deepEqual(p, {
      messages: [system, { role: 'user', content: 'y' }, { role: 'assistant', content: 'r' }, { role: 'user', content: 'q' }],
      tokens: 27 + FIXED,
      fits: true,
      cuts: ['the 1 oldest message was left out'],
    });
  });
});

describe('chat prompt: a question that does not fit', () => {
  it('sends a question that fills the room exactly', () => {
    const p = buildPrompt([turn('user', 'q')], withRoom(9));
    assert.deepEqual(p, { messages: [system, { role: 'user', content: 'q' }], tokens: 9 + FIXED, fits: true, cuts: [] });
  });

  it('refuses a question one token over the room, and names both numbers', () => {
    const p = buildPrompt([turn('user', 'q')], withRoom(8));
    assert.deepEqual(p, {
      messages: [],
      tokens: 9,
      fits: false,
      cuts: ['the question and its attachments need about 9 tokens; the model has room for 8'],
    });
  });

  it('reports no room at all as 0, not a negative number', () => {
    const p = buildPrompt([turn('user', 'q')], { contextLength: FIXED - 5, answerTokens: 0 });
    assert.deepEqual(p.cuts, ['the question and its attachments need about 9 tokens; the model has room for 0']);
    assert.equal(p.fits, false);
  });

  it('refuses when the question text alone is over the room, even with a file that could be left out', () => {
    const p = buildPrompt([turn('user', 'q', [file('a', digits(10))])], withRoom(8));
    assert.deepEqual(p, {
      messages: [],
      tokens: 9 + 30,
      fits: false,
      cuts: ['the question and its attachments need about 39 tokens; the model has room for 8'],
    });
  });

  it('refuses a question whose images alone do not fit', () => {
    const p = buildPrompt([turn('user', 'q', [image('x.png', 'data:1')])], withRoom(9 + 255));
    assert.deepEqual(p.cuts, ['the question and its attachments need about 265 tokens; the model has room for 264']);
    assert.equal(p.fits, false);
    assert.deepEqual(p.messages, []);
  });
});

describe('chat prompt: cutting the question\'s attachments', () => {
  it('with nothing left beside the question text, leaves the file out and still sends the question', () => {
    const p = buildPrompt([turn('user', 'q', [file('a', digits(10))])], withRoom(9));
    assert.deepEqual(p, { messages: [system, { role: 'user', content: 'q' }], tokens: 9 + FIXED, fits: true, cuts: ['a was left out'] });
  });

  it('leaves a file out when 80 tokens are left (too few to be worth shortening)', () => {
    const p = buildPrompt([turn('user', 'q', [file('a', digits(1000))])], withRoom(9 + 80));
    assert.deepEqual(p, { messages: [system, { role: 'user', content: 'q' }], tokens: 9 + FIXED, fits: true, cuts: ['a was left out'] });
  });

  it('with 81 tokens left, shortens a file to exactly the digits that fit in 81 - 30 tokens', () => {
    // 51 tokens for the file block: its 20 fixed tokens and 31 digits; the cut note adds 23.
    const p = buildPrompt([turn('user', 'q', [file('a', digits(1000))])], withRoom(9 + 81));
    assert.deepEqual(p, {
      messages: [system, { role: 'user', content: `${fileBlock('a', digits(31) + NOTE)}\n\nq` }],
      tokens: 9 + 20 + 31 + 23 + FIXED,
      fits: true,
      cuts: ['a was shortened to its first 3 %'],
    });
  });

  it('keeps a file whole when it needs exactly what is left, and leaves out the next one', () => {
    // a: 20 + 80 = 100 tokens, exactly what is left after the question text.
    const p = buildPrompt([turn('user', 'q', [file('a', digits(80)), file('b', digits(1000))])], withRoom(9 + 100));
    assert.deepEqual(p, {
      messages: [system, { role: 'user', content: `${fileBlock('a', digits(80))}\n\nq` }],
      tokens: 9 + 100 + FIXED,
      fits: true,
      cuts: ['b was left out'],
    });
  });

  it('gives the next file what the ones before did not use', () => {
    // a (30 tokens) fits whole; b gets the remaining 81, so 51 - 20 = 31 of its digits.
    const p = buildPrompt([turn('user', 'q', [file('a', digits(10)), file('b', digits(1000))])], withRoom(9 + 30 + 81));
    assert.deepEqual(p, {
      messages: [system, { role: 'user', content: `${fileBlock('a', digits(10))}\n\n${fileBlock('b', digits(31) + NOTE)}\n\nq` }],
      tokens: 9 + 30 + 20 + 31 + 23 + FIXED,
      fits: true,
      cuts: ['b was shortened to its first 3 %'],
    });
  });

  it('reserves 260 tokens per image before sharing the rest among the text attachments', () => {
    // Room: the question (9), two images at 256 + 4 each (520), and 81 tokens for the file.
    const turns = [turn('user', 'q', [image('x.png', 'data:1'), image('y.png', 'data:2'), file('a', digits(1000))])];
    const p = buildPrompt(turns, withRoom(9 + 520 + 81));
    assert.deepEqual(p, {
      messages: [
        system,
        {
          role: 'user',
          content: [
            { type: 'image_url', image_url: { url: 'data:1' } },
            { type: 'image_url', image_url: { url: 'data:2' } },
            { type: 'text', text: `${fileBlock('a', digits(31) + NOTE)}\n\nq` },
          ],
        },
      ],
      // The images are then counted at their 256 each.
      tokens: 9 + 512 + 20 + 31 + 23 + FIXED,
      fits: true,
      cuts: ['a was shortened to its first 3 %'],
    });
  });

  it('reports the share of a shortened file that was kept, in percent', () => {
    // 553 - 30 = 523 tokens for the block: 20 fixed and 503 of the 1000 digits.
    const p = buildPrompt([turn('user', 'q', [file('a', digits(1000))])], withRoom(9 + 553));
    assert.deepEqual(p.cuts, ['a was shortened to its first 50 %']);
    assert.deepEqual(p.messages.at(-1), { role: 'user', content: `${fileBlock('a', digits(503) + NOTE)}\n\nq` });
    assert.equal(p.tokens, 9 + 20 + 503 + 23 + FIXED);
  });

  it('shortens older history away before the question is cut, naming every cut in order', () => {
    const turns = [turn('user', 'h', [file('c', '1')]), turn('assistant', 'r'), turn('user', 'q', [file('a', digits(1000))])];
    const p = buildPrompt(turns, withRoom(9 + 81));
    assert.deepEqual(p.cuts, ['the 2 oldest messages were left out', 'attachments of earlier questions were left out', 'a was shortened to its first 3 %']);
    assert.deepEqual(p.messages.map((m) => m.role), ['system', 'user']);
    assert.equal(p.tokens, 9 + 20 + 31 + 23 + FIXED);
  });

  it('keeps room enough for the cut note it adds', () => {
    assert.ok(estimateTextTokens(NOTE) <= 30, `the cut note costs ${estimateTextTokens(NOTE)} tokens`);
  });

  // Was a bug: the percentage subtracted 60 characters for the cut note, which is 58 characters
  // long, so a shortened attachment was reported 2 characters shorter than what was sent: 50 of
  // 100 digits were sent and the user was told "48 %".
  it('reports the kept share of a short file exactly', () => {
    const p = buildPrompt([turn('user', 'q', [file('a', digits(100))])], withRoom(9 + 100));
    assert.deepEqual(p.messages.at(-1), { role: 'user', content: `${fileBlock('a', digits(50) + NOTE)}\n\nq` });
    assert.deepEqual(p.cuts, ['a was shortened to its first 50 %']);
  });

  // Was a bug: when an attachment's header and footer alone (its name is written twice) cost more
  // than what is left minus 30, it was sent emptied ("first 0 %") and the prompt went over the
  // room while `fits` said true (145 tokens of a room of 100). Now it is left out.
  it('never reports a prompt over its room as fitting', () => {
    const name = `${'2024-03-15_'.repeat(4)}labs.txt`;
    const p = buildPrompt([turn('user', 'q', [file(name, digits(1000))])], withRoom(9 + 91));
    assert.ok(p.tokens - FIXED <= 100 || !p.fits, `${p.tokens - FIXED} tokens of a room of 100 reported as fitting`);
    assert.deepEqual(p.cuts, [`${name} was left out`]);
    assert.deepEqual(p.messages.at(-1), { role: 'user', content: 'q' });
  });
});
