// The summary document, case by case: local time in every kind of time zone, each header
// fact present or absent, each notice above the summary, the summary body (empty, indented,
// marked), the check line with and without statements, every model-check outcome (nothing to
// check, complete, misses, stopped by the user or by an error, no structured output), flags
// counted by kind, the --json statement shape and the plain-text footer of the CLI.

import * as assert from 'node:assert/strict';
import type { CheckedStatement } from '../../../src/core/notes/citations';
import {
  DISCLAIMER,
  checkSentence,
  flagsByKind,
  formatLocalTime,
  markUnsupported,
  modelCheckSentence,
  partialNotice,
  renderFinal,
  renderHeader,
  serverLabel,
  summaryFooter,
  toJson,
  type HeaderInfo,
  type RenderableSummary,
} from '../../../src/core/notes/render';
import type { SummaryResult } from '../../../src/core/notes/summarize';
import type { ModelCheck } from '../../../src/core/notes/verify/verify';

/** 2025-01-05 14:03 local time, in a zone `minutesWestOfUtc` behind UTC (getTimezoneOffset's sign). */
const inZone = (minutesWestOfUtc: number): Date => Object.assign(new Date(2025, 0, 5, 14, 3), { getTimezoneOffset: () => minutesWestOfUtc });

const date = inZone(-60);
const CREATED = '**Created:** 2025-01-05 14:03 (UTC+01:00)';
const template = { label: 'Brief clinical summary' };
const header = (...facts: string[]) => `# Brief clinical summary\n\n${facts.join('  \n')}\n\n`;

/** A checked statement; `span` only matters where the summary is marked. */
const st = (text: string, supported: boolean, over: Partial<CheckedStatement> = {}): CheckedStatement => ({
  text,
  lines: [[1, 1]],
  span: [0, 0],
  supported,
  ...over,
});
const ok = (text = 'Fever') => st(text, true);
const flagged = (text: string, reason: string | undefined, kind: string | undefined) =>
  st(text, false, { ...(reason !== undefined ? { reason } : {}), ...(kind !== undefined ? { kind } : {}) });

const check = (over: Partial<ModelCheck> = {}): ModelCheck => ({
  total: 2,
  checked: 2,
  flagged: 0,
  unreadable: 0,
  failed: 0,
  skipped: 0,
  requests: 2,
  usage: { promptTokens: 1000, completionTokens: 234, totalTokens: 1234 },
  structured: true,
  ...over,
});

const renderable = (over: Partial<RenderableSummary> = {}): RenderableSummary => ({
  summary: 'Fever [L1].',
  statements: [],
  partial: false,
  finishReason: 'stop',
  ...over,
});

const result = (over: Partial<SummaryResult> = {}): SummaryResult => ({
  summary: 'Fever [L1].',
  statements: [],
  parts: 1,
  finishReason: 'stop',
  model: 'medgemma',
  partial: false,
  range: [1, 3],
  cutParts: [],
  ...over,
});

/** The document renderFinal gives for a bare header, without notices or check line. */
const plainDoc = (body: string, checkLine?: string) =>
  `${header(CREATED)}${body}\n\n---\n\n${checkLine !== undefined ? `${checkLine}\n\n` : ''}${DISCLAIMER}\n`;

describe('notes/render, case by case', () => {
  describe('local time and its zone', () => {
    it('shows a zone east of UTC with a plus sign, hours and minutes', () => {
      assert.equal(formatLocalTime(inZone(-330)), '2025-01-05 14:03 (UTC+05:30)');
    });

    it('shows a zone west of UTC with a minus sign', () => {
      assert.equal(formatLocalTime(inZone(300)), '2025-01-05 14:03 (UTC-05:00)');
      assert.equal(formatLocalTime(inZone(570)), '2025-01-05 14:03 (UTC-09:30)');
    });

    it('shows UTC itself as plus zero', () => {
      assert.equal(formatLocalTime(inZone(0)), '2025-01-05 14:03 (UTC+00:00)');
    });
  });

  describe('header', () => {
    it('writes one fact per line, nothing more', () => {
      const info: HeaderInfo = { template, model: 'medgemma', baseUrl: 'http://gpu:8000/v1', source: 'ct_report.txt', range: [1, 3], date };
      assert.equal(
        renderHeader(info),
        header('**Source:** ct\\_report.txt, lines 1–3', '**Model:** medgemma', '**Server:** gpu:8000/v1 (http)', CREATED),
      );
    });

    it('has no source line when neither source, range nor URI is known', () => {
      assert.equal(renderHeader({ template, model: 'medgemma', date }), header('**Model:** medgemma', CREATED));
      assert.equal(renderHeader({ template, date }), header(CREATED));
    });

    it('shows the source name alone when no range is known', () => {
      assert.equal(renderHeader({ template, source: 'a.txt', date }), header('**Source:** a.txt', CREATED));
    });

    it('shows the range alone when no source name is known', () => {
      assert.equal(renderHeader({ template, range: [4, 9], date }), header('**Source:** lines 4–9', CREATED));
    });

    it('calls a linked source with neither name nor range "note"', () => {
      assert.equal(renderHeader({ template, sourceUri: 'file:///n.txt', date }), header('**Source:** [note](file:///n.txt)', CREATED));
    });

    it('drops every trailing slash of the server address', () => {
      assert.equal(serverLabel('http://gpu:8000/v1//'), 'gpu:8000/v1 (http)');
      assert.equal(renderHeader({ template, baseUrl: 'http://gpu:8000/v1//', date }), header('**Server:** gpu:8000/v1 (http)', CREATED));
    });
  });

  describe('notices above the summary', () => {
    it('says a summary that ended without its own reason is incomplete', () => {
      assert.equal(partialNotice({ partial: true, finishReason: 'stop' }), '⚠ Partial summary: incomplete.');
      assert.equal(partialNotice({ partial: false, finishReason: 'stop' }), undefined);
    });

    it('has no notice block when nothing was cut, partial or flagged', () => {
      const doc = renderFinal({ template, date }, renderable({ statements: [ok()], cutParts: [] }));
      assert.equal(
        doc,
        plainDoc(
          'Fever [L1].',
          '**Citation check:** 1 of 1 statement passed the rule checks against their cited lines. No model check was run. A statement that passes is not proven right.',
        ),
      );
    });

    it('names a single cut part in the singular, without a part count when none is known', () => {
      const doc = renderFinal({ template, date }, renderable({ cutParts: [2] }));
      assert.equal(
        doc,
        `${header(CREATED)}> ⚠ The summary of part 2 was cut at the token limit; facts from those lines may be missing.\n\nFever [L1].\n\n---\n\n${DISCLAIMER}\n`,
      );
    });

    it('separates several notices by an empty quote line', () => {
      const summary = '- Fever [L1].\n- Cough';
      const r = renderable({
        summary,
        partial: true,
        finishReason: 'length',
        cutParts: [1, 3],
        parts: 3,
        statements: [st('Fever', true, { span: [2, 13] }), st('Cough', false, { lines: [], span: [16, 21], reason: 'no citation', kind: 'no-citation' })],
      });
      const doc = renderFinal({ template, date }, r);
      assert.equal(
        doc,
        [
          header(CREATED),
          '> ⚠ Partial summary: cut at the token limit (medgemma.summary.maxTokens).\n',
          '>\n',
          '> ⚠ The summary of parts 1, 3 of 3 was cut at the token limit; facts from those lines may be missing.\n',
          '>\n',
          '> ⚠ 1 of 2 statements could not be verified against the cited note lines (marked below): 1 no citation.\n\n',
          '- Fever [L1].\n- Cough ⚠ *unsupported: no citation*\n\n---\n\n',
          '**Citation check:** 1 of 2 statements passed the rule checks against their cited lines. No model check was run. A statement that passes is not proven right.\n\n',
          `${DISCLAIMER}\n`,
        ].join(''),
      );
    });
  });

  describe('summary body', () => {
    it('says so when the summary is only white space', () => {
      assert.equal(renderFinal({ template, date }, renderable({ summary: '  \n \n' })), plainDoc('*No summary text was produced.*'));
    });

    it('keeps leading indentation and drops trailing blank lines', () => {
      assert.equal(renderFinal({ template, date }, renderable({ summary: '  Fever [L1].\n\n' })), plainDoc('  Fever [L1].'));
    });

    it('marks an unsupported statement without a reason as not verified', () => {
      assert.equal(markUnsupported('Fever [L1].', [st('Fever', false, { span: [0, 11] })]), 'Fever [L1]. ⚠ *unsupported: not verified*');
    });

    it('strips markdown characters from a reason so the mark stays one emphasis', () => {
      const s = st('Fever', false, { span: [0, 11], reason: 'cites *L9* `x` <b>_y_|z~\\' });
      assert.equal(markUnsupported('Fever [L1].', [s]), 'Fever [L1]. ⚠ *unsupported: cites L9 x byz*');
    });
  });

  describe('check line', () => {
    it('is left out when the summary has no statements', () => {
      assert.equal(renderFinal({ template, date }, renderable({ statements: [] })), plainDoc('Fever [L1].'));
    });

    it('counts one statement in the singular and two in the plural', () => {
      const tail = ' passed the rule checks against their cited lines. No model check was run. A statement that passes is not proven right.';
      assert.equal(checkSentence({ statements: [ok()] }), `**Citation check:** 1 of 1 statement${tail}`);
      assert.equal(checkSentence({ statements: [ok(), flagged('Cough', 'no citation', 'no-citation')] }), `**Citation check:** 1 of 2 statements${tail}`);
    });

    it('says the model is still checking while it runs', () => {
      assert.equal(
        checkSentence({ statements: [ok(), ok('Cough')], verifying: true }),
        '**Citation check:** 2 of 2 statements passed the rule checks against their cited lines. The model is checking the statements that passed… A statement that passes is not proven right.',
      );
    });

    it('counts the statements the model flagged as passing the rules, not those the rules flagged', () => {
      const statements = [
        ok(),
        flagged('Cough', 'not in cited lines (model)', 'model-not-in-lines'),
        flagged('Rash', 'no citation', 'no-citation'),
      ];
      assert.equal(
        checkSentence({ statements, modelCheck: check({ checked: 2, flagged: 1 }) }),
        '**Citation check:** 2 of 3 statements passed the rule checks against their cited lines. The model checked 2 of the 2 statements the rules passed and flagged 1 (2 requests, 1,234 tokens). A statement that passes is not proven right.',
      );
    });

    it('shows the model check in the final document', () => {
      const doc = renderFinal({ template, date }, renderable({ statements: [ok()], modelCheck: check({ total: 1, checked: 1, requests: 1 }) }));
      assert.equal(
        doc,
        plainDoc(
          'Fever [L1].',
          '**Citation check:** 1 of 1 statement passed the rule checks against their cited lines. The model checked 1 of the 1 statement the rules passed and flagged 0 (1 request, 1,234 tokens). A statement that passes is not proven right.',
        ),
      );
    });
  });

  describe('model check outcome', () => {
    it('says when there was nothing to check', () => {
      assert.equal(
        modelCheckSentence(check({ total: 0, checked: 0, requests: 0, usage: undefined, structured: false })),
        'The model check had nothing to check: no statement passed the rules.',
      );
    });

    it('counts a complete check of one statement in the singular', () => {
      const usage = { promptTokens: 1, completionTokens: 0, totalTokens: 1 };
      assert.equal(
        modelCheckSentence(check({ total: 1, checked: 1, requests: 1, usage })),
        'The model checked 1 of the 1 statement the rules passed and flagged 0 (1 request, 1 token).',
      );
    });

    it('counts a complete check of two statements in the plural', () => {
      assert.equal(
        modelCheckSentence(check({ flagged: 1 })),
        'The model checked 2 of the 2 statements the rules passed and flagged 1 (2 requests, 1,234 tokens).',
      );
    });

    it('lists one of each miss in the singular', () => {
      assert.equal(
        modelCheckSentence(check({ total: 4, checked: 1, unreadable: 1, failed: 1, skipped: 1, requests: 3 })),
        'The model checked 1 of the 4 statements the rules passed and flagged 0; 1 answer not in the asked shape, 1 request failed, 1 statement cited too many lines to send (3 requests, 1,234 tokens).',
      );
    });

    it('lists two of each miss in the plural', () => {
      assert.equal(
        modelCheckSentence(check({ total: 7, checked: 1, unreadable: 2, failed: 2, skipped: 2, requests: 5 })),
        'The model checked 1 of the 7 statements the rules passed and flagged 0; 2 answers not in the asked shape, 2 requests failed, 2 statements cited too many lines to send (5 requests, 1,234 tokens).',
      );
    });

    it('lists a single kind of miss alone', () => {
      assert.equal(
        modelCheckSentence(check({ checked: 1, failed: 1 })),
        'The model checked 1 of the 2 statements the rules passed and flagged 0; 1 request failed (2 requests, 1,234 tokens).',
      );
    });

    it('says when the server reported no tokens', () => {
      assert.equal(
        modelCheckSentence(check({ usage: undefined })),
        'The model checked 2 of the 2 statements the rules passed and flagged 0 (2 requests, tokens not reported by the server).',
      );
    });

    it('says when the server refused structured output', () => {
      assert.equal(
        modelCheckSentence(check({ structured: false })),
        'The model checked 2 of the 2 statements the rules passed and flagged 0 (2 requests, 1,234 tokens, no structured output: answers read as text).',
      );
    });

    it('says nothing about structured output when no request was sent', () => {
      assert.equal(
        modelCheckSentence(check({ total: 1, checked: 0, skipped: 1, requests: 0, usage: undefined, structured: false })),
        'The model checked 0 of the 1 statement the rules passed and flagged 0; 1 statement cited too many lines to send (0 requests, tokens not reported by the server).',
      );
    });

    it('says when the user stopped it', () => {
      assert.equal(
        modelCheckSentence(check({ total: 3, checked: 1, requests: 1, stopped: 'cancelled' })),
        'The model checked 1 of the 3 statements the rules passed and flagged 0 (1 request, 1,234 tokens). It was stopped by you.',
      );
    });

    it('gives the message of the error that stopped it', () => {
      assert.equal(
        modelCheckSentence(check({ total: 3, checked: 1, failed: 2, requests: 3, stopped: 'The server closed the connection.' })),
        'The model checked 1 of the 3 statements the rules passed and flagged 0; 2 requests failed (3 requests, 1,234 tokens). It stopped: The server closed the connection.',
      );
    });

    it('escapes markdown in the error message and ends the sentence after it', () => {
      assert.equal(
        modelCheckSentence(check({ stopped: 'bad *reply*' })),
        'The model checked 2 of the 2 statements the rules passed and flagged 0 (2 requests, 1,234 tokens). It stopped: bad \\*reply\\*.',
      );
      assert.match(modelCheckSentence(check({ stopped: 'Is the server up?' })), /It stopped: Is the server up\?$/);
    });
  });

  describe('flags by kind', () => {
    it('counts statements without a kind as "other"', () => {
      assert.equal(flagsByKind([flagged('A', 'x', undefined)]), '1 other');
      assert.equal(flagsByKind([flagged('A', 'x', undefined), ok(), flagged('B', 'y', undefined)]), '2 other');
    });

    it('puts the most frequent kind first, whatever came first', () => {
      assert.equal(flagsByKind([flagged('A', 'x', 'negation'), flagged('B', 'y', 'units'), flagged('C', 'z', 'units')]), '2 units, 1 negation');
    });

    it('orders kinds of equal count by their id', () => {
      assert.equal(flagsByKind([flagged('A', 'x', 'units'), flagged('B', 'y', 'negation')]), '1 negation, 1 units');
    });
  });

  describe('--json statements', () => {
    it('keeps what the model made of a statement', () => {
      const j = toJson(result({ statements: [st('Fever', true, { model: 'supported' }), ok('Cough')] }));
      assert.deepEqual(j.statements, [
        { text: 'Fever', lines: [[1, 1]], supported: true, model: 'supported' },
        { text: 'Cough', lines: [[1, 1]], supported: true },
      ]);
    });
  });

  describe('plain-text footer', () => {
    it('gives the grounding check and disclaimer of a clean one-part summary', () => {
      assert.equal(
        summaryFooter(result({ statements: [ok(), ok('Cough')] })),
        ['', '', '---', '', 'Grounding check: 2 of 2 statements verified against the cited lines.', '', DISCLAIMER, ''].join('\n'),
      );
      assert.match(summaryFooter(result({ statements: [ok()] })), /\nGrounding check: 1 of 1 statement verified against the cited lines\.\n/);
      assert.match(summaryFooter(result({ statements: [] })), /\nGrounding check: the summary has no statements to verify\.\n/);
      assert.match(renderFinal({ template, date }, renderable({ statements: [flagged('Cough', 'no citation', 'no-citation')] })), /\n> ⚠ 1 of 1 statement could not be verified against the cited note lines/);
    });

    it('gives the notice, parts, flags, model check and each unsupported statement', () => {
      const r = result({
        partial: true,
        finishReason: 'cancelled',
        parts: 2,
        statements: [ok(), flagged('PE', 'cited line negates it', 'negation'), flagged('Rash', undefined, undefined)],
        modelCheck: check({ total: 1, checked: 1, requests: 1 }),
      });
      assert.equal(
        summaryFooter(r),
        [
          '',
          '',
          '---',
          '',
          '> ⚠ Partial summary: stopped by you.',
          '',
          'Grounding check: 1 of 3 statements verified against the cited lines (note summarized in 2 parts); flagged: 1 negation, 1 other.',
          'Model check: The model checked 1 of the 1 statement the rules passed and flagged 0 (1 request, 1,234 tokens).',
          '- ⚠ unsupported (cited line negates it): PE',
          '- ⚠ unsupported (not verified): Rash',
          '',
          DISCLAIMER,
          '',
        ].join('\n'),
      );
    });
  });
});
