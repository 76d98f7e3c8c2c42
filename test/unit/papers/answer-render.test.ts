// The answer over papers as markdown (core/papers/render.ts): [Sn] turned into "(Tully 2010,
// p. 3)" (a link only when the front end gives one), warnings for unknown keys, unsupported
// numbers and foreign links, the notes on truncation, scoring and search by meaning, the list
// of sources, and the source map at the end of an answer document. The model's text is
// hostile: none of its links may come out live, nor its markup in labels, titles or questions.
import * as assert from 'node:assert/strict';
import type { AnswerCheck } from '../../../src/core/papers/answer-check';
import type { AskResult, Citation } from '../../../src/core/papers/ask';
import { pageLabel, parseSourceMap, renderAnswerBody, renderAnswerMarkdown, renderCitations, rerankNote, sourceMapComment, SOURCE_MAP_START } from '../../../src/core/papers/render';

const S1: Citation = { key: 'S1', paperId: 'a', file: '/papers/tully.pdf', title: 'Heart failure programmes', label: 'Tully 2010', pageStart: 3, pageEnd: 3, chunkId: '0123456789abcdef#2', text: 'passage one' };
const S2: Citation = { key: 'S2', paperId: 'b', file: '/papers/smith.pdf', title: 'Warfarin dosing', label: 'Smith et al. 2012', pageStart: 4, pageEnd: 5, chunkId: 'fedcba9876543210#0', text: 'passage two' };
const S3: Citation = { ...S2, key: 'S3', chunkId: 'fedcba9876543210#1', pageStart: 6, pageEnd: 6 };

const check = (over: Partial<AnswerCheck> = {}): AnswerCheck => ({ unknownKeys: [], cited: [], sentences: [], uncited: [], foreignLinks: [], ...over });
const result = (over: Partial<AskResult> = {}): AskResult => ({ answer: '', sources: [S1, S2], cited: [], check: check(), covered: true, retrieval: { method: 'words' }, ...over });
/** A covered answer citing S1 only. */
const cited = (answer: string, over: Partial<AskResult> = {}) => result({ answer, cited: [S1], check: check({ cited: ['S1'] }), ...over });
const href = (c: Citation) => `medgemma-paper:${encodeURIComponent(c.chunkId)}?page=${c.pageStart}`;

describe('papers: rendering an answer', () => {
  describe('page labels', () => {
    it('says "p." for one page and "pp." with an en dash for a range', () => {
      assert.equal(pageLabel({ pageStart: 3, pageEnd: 3 }), 'p. 3');
      assert.equal(pageLabel({ pageStart: 3, pageEnd: 4 }), 'pp. 3–4');
    });
  });

  describe('citations', () => {
    it('turns each [Sn] into the label and pages of its source, several in one pair of brackets', () => {
      assert.equal(
        renderCitations('A [S1]. B [S1, S2]. C [S2;1].', [S1, S2]),
        'A (Tully 2010, p. 3). B (Tully 2010, p. 3; Smith et al. 2012, pp. 4–5). C (Smith et al. 2012, pp. 4–5; Tully 2010, p. 3).',
      );
    });

    it('flags a key that is not one of the sources, in place', () => {
      assert.equal(renderCitations('A [S9]. B [S1, S9].', [S1]), 'A (S9 ⚠ not one of the sources). B (Tully 2010, p. 3; S9 ⚠ not one of the sources).');
    });

    it('makes a citation a link only when the front end gives one for it', () => {
      assert.equal(renderCitations('A [S1, S2].', [S1, S2], (c) => (c.key === 'S1' ? href(c) : undefined)), 'A ([Tully 2010, p. 3](medgemma-paper:0123456789abcdef%232?page=3); Smith et al. 2012, pp. 4–5).');
    });

    it('escapes markup in a label, which comes from the PDF', () => {
      const label = 'O_Brien *[x](command:evil)* <b>';
      assert.equal(renderCitations('A [S1].', [{ ...S1, label }]), 'A (O\\_Brien \\*\\[x\\](command:evil)\\* &lt;b\\>, p. 3).');
    });

    it('leaves other brackets alone', () => {
      assert.equal(renderCitations('A [s1] [1] [S] [L3].', [S1]), 'A [s1] [1] [S] [L3].');
    });
  });

  describe('the answer body', () => {
    it('shows an uncovered answer as a note in italics, and nothing else', () => {
      assert.equal(renderAnswerBody(result({ covered: false, answer: 'Not covered.' }), href), '*Not covered.*\n');
    });

    it('renders the answer, a warning after each sentence with unsupported numbers, and every source', () => {
      const r = cited('  Metformin lowered HbA1c by 1.2 [S1]. It lasted 52 weeks in 310 adults [S1].  ', {
        check: check({
          cited: ['S1'],
          sentences: [
            { text: 'Metformin lowered HbA1c by 1.2 [S1].', keys: ['S1'], unsupportedNumbers: [] },
            { text: 'It lasted 52 weeks in 310 adults [S1].', keys: ['S1'], unsupportedNumbers: ['52', '310'] },
          ],
        }),
      });
      assert.equal(
        renderAnswerBody(r),
        [
          'Metformin lowered HbA1c by 1.2 (Tully 2010, p. 3). It lasted 52 weeks in 310 adults (Tully 2010, p. 3). ⚠ *52, 310 not found in the cited passage*',
          '',
          '### Sources',
          '',
          '- **S1** Tully 2010, p. 3 — Heart failure programmes',
          '- **S2** Smith et al. 2012, pp. 4–5 — Warfarin dosing (not cited)',
          '',
        ].join('\n'),
      );
    });

    it('links the sources too when the front end gives links', () => {
      const body = renderAnswerBody(cited('Yes [S1].'), href);
      assert.match(body, /^Yes \(\[Tully 2010, p\. 3\]\(medgemma-paper:0123456789abcdef%232\?page=3\)\)\.$/m);
      assert.match(body, /^- \*\*S1\*\* \[Tully 2010, p\. 3\]\(medgemma-paper:0123456789abcdef%232\?page=3\) — Heart failure programmes$/m);
      assert.match(body, /^- \*\*S2\*\* \[Smith et al\. 2012, pp\. 4–5\]\(medgemma-paper:fedcba9876543210%230\?page=4\) — Warfarin dosing \(not cited\)$/m);
    });

    it('escapes markup in a source title', () => {
      const body = renderAnswerBody(cited('Yes [S1].', { sources: [{ ...S1, title: '*Bold* [x](command:evil) see https://evil.example' }] }));
      assert.match(body, /^- \*\*S1\*\* Tully 2010, p\. 3 — \\\*Bold\\\* \\\[x\\\]\(command:evil\) see https:\\\/\\\/evil\.example$/m);
    });

    it('lists only the cited sources in the narrow view and counts the others', () => {
      const one = renderAnswerBody(cited('Yes [S1].'), undefined, { citedOnly: true });
      assert.ok(one.endsWith('### Sources\n\n- **S1** Tully 2010, p. 3 — Heart failure programmes\n\n*1 more passage was given to the model but not cited.*\n'), one);
      const two = renderAnswerBody(cited('Yes [S1].', { sources: [S1, S2, S3] }), undefined, { citedOnly: true });
      assert.ok(two.endsWith('\n\n*2 more passages were given to the model but not cited.*\n'), two);
      const all = renderAnswerBody(cited('Yes [S1].', { sources: [S1] }), undefined, { citedOnly: true });
      assert.ok(all.endsWith('### Sources\n\n- **S1** Tully 2010, p. 3 — Heart failure programmes\n'), all);
    });

    it('notes a cut or stopped answer', () => {
      assert.match(renderAnswerBody(cited('Yes [S1].', { finishReason: 'length' })), /\(Tully 2010, p\. 3\)\.\n\n\*The answer was cut at the token limit\.\*\n\n### Sources/);
      assert.match(renderAnswerBody(cited('Yes [S1].', { finishReason: 'cancelled' })), /\(Tully 2010, p\. 3\)\.\n\n\*Stopped: the answer is incomplete\.\*\n\n### Sources/);
      for (const finishReason of ['stop', 'abort'] as const) assert.match(renderAnswerBody(cited('Yes [S1].', { finishReason })), /\(Tully 2010, p\. 3\)\.\n\n### Sources/, finishReason);
    });

    it('notes what the scoring step did', () => {
      assert.match(renderAnswerBody(cited('Yes [S1].', { rerank: { requests: 1, scored: 8, dropped: 0 } })), /\)\.\n\n\*MedGemma scored the 8 passages found before answering \(1 request\)\.\*\n\n### Sources/);
    });

    it('says in a few words why search by meaning was skipped', () => {
      const note = (denseFailureKind?: AskResult['retrieval']['denseFailureKind']) =>
        /\*Search by meaning was skipped this time: (.*)\. The passages were found by their words\.\*\n\n### Sources/.exec(renderAnswerBody(cited('Yes [S1].', { retrieval: { method: 'words', denseFailure: 'http://10.0.0.5:8000 refused', denseFailureKind } })))?.[1];
      assert.equal(note('unreachable'), 'the embedding server did not answer');
      assert.equal(note('timeout'), 'the embedding server did not answer in time');
      assert.equal(note('unauthorized'), 'the embedding server refused the request');
      assert.equal(note('bad-config'), 'the embedding model is not one that server serves (see "medgemma.papers.embeddingModel")');
      assert.equal(note('unknown-model'), 'the embedding model is not one that server serves (see "medgemma.papers.embeddingModel")');
      assert.equal(note('server-error'), "the embedding server's answer could not be used");
      assert.equal(note(undefined), "the embedding server's answer could not be used");
      assert.doesNotMatch(renderAnswerBody(cited('Yes [S1].', { retrieval: { method: 'words+meaning' } })), /Search by meaning/);
    });

    it('warns about unknown keys, an answer citing nothing and foreign links, in one line', () => {
      const warn = (over: Partial<AnswerCheck>, answer = 'Yes.') => /^> ⚠ The answer (.*)\.$/m.exec(renderAnswerBody(result({ answer, check: check(over) })))?.[1];
      assert.equal(warn({ cited: ['S1'], unknownKeys: ['S9'] }), 'cites [S9], which is not among the sources');
      assert.equal(warn({ cited: ['S1'], unknownKeys: ['S8', 'S9'] }), 'cites [S8], [S9], which are not among the sources');
      assert.equal(warn({}), 'cites no source: treat it as unsupported');
      assert.equal(warn({ cited: ['S1'], foreignLinks: ['https://evil.example'] }), 'contains a link that no passage has (shown as text, not opened)');
      assert.equal(warn({ cited: ['S1'], foreignLinks: ['https://a.example', 'https://b.example'] }), 'contains links that no passage has (shown as text, not opened)');
      assert.equal(
        warn({ unknownKeys: ['S9'], foreignLinks: ['https://evil.example'] }),
        'cites [S9], which is not among the sources; cites no source: treat it as unsupported; contains a link that no passage has (shown as text, not opened)',
      );
      assert.equal(warn({ cited: ['S1'] }), undefined);
      assert.equal(warn({}, '   '), undefined);
    });

    it('puts the notes in order: cut, scoring, search by meaning, warnings, then the sources', () => {
      const body = renderAnswerBody(
        result({ answer: 'Yes [S9].', finishReason: 'length', rerank: { requests: 1, scored: 2, dropped: 1 }, retrieval: { method: 'words', denseFailure: 'x', denseFailureKind: 'timeout' }, check: check({ unknownKeys: ['S9'] }) }),
      );
      assert.equal(
        body,
        [
          'Yes (S9 ⚠ not one of the sources).',
          '',
          '*The answer was cut at the token limit.*',
          '',
          '*MedGemma scored the 2 passages found before answering and left out 1 as not helping (1 request).*',
          '',
          '*Search by meaning was skipped this time: the embedding server did not answer in time. The passages were found by their words.*',
          '',
          '> ⚠ The answer cites [S9], which is not among the sources; cites no source: treat it as unsupported.',
          '',
          '### Sources',
          '',
          '- **S1** Tully 2010, p. 3 — Heart failure programmes (not cited)',
          '- **S2** Smith et al. 2012, pp. 4–5 — Warfarin dosing (not cited)',
          '',
        ].join('\n'),
      );
    });
  });

  describe('links the model wrote', () => {
    const answer = 'See [guide](https://evil.example/x) and [run](command:workbench.action.terminal.new) [S1].';

    it('become text in a document, while our citations stay links', () => {
      const body = renderAnswerBody(cited(answer), href).split('\n')[0];
      assert.equal(body, 'See guide (link: `https[:]//evil.example/x`) and run (link: `command:workbench.action.terminal.new`) ([Tully 2010, p. 3](medgemma-paper:0123456789abcdef%232?page=3)).');
    });

    it('stay links in the chat only when they go to the web', () => {
      const body = renderAnswerBody(cited(answer), href, { mode: 'chat' }).split('\n')[0];
      assert.equal(body, 'See [guide](https://evil.example/x) and run (link: `command:workbench.action.terminal.new`) ([Tully 2010, p. 3](medgemma-paper:0123456789abcdef%232?page=3)).');
    });

    it('cannot forge a citation link, and a citation wrapped in a link of the model’s becomes ours', () => {
      const forged = renderAnswerBody(cited('[(Tully 2010, p. 3)](medgemma-paper:deadbeefdeadbeef%230?page=1) and [S1](command:x).'), href, { mode: 'chat' }).split('\n')[0];
      assert.equal(forged, '(Tully 2010, p. 3) (link: `medgemma-paper:deadbeefdeadbeef%230?page=1`) and ([Tully 2010, p. 3](medgemma-paper:0123456789abcdef%232?page=3)) (link: `command:x`).');
    });
  });

  describe('the answer document', () => {
    it('is the header, the question as a heading (markup escaped), then the body', () => {
      const r = cited('Yes [S1].', { sources: [S1] });
      assert.equal(renderAnswerMarkdown('Is *this* <b>safe</b>? See http://x.example', r, undefined, '# Papers'), `# Papers\n## Is \\*this\\* &lt;b\\>safe&lt;/b\\>? See http:\\/\\/x.example\n\n${renderAnswerBody(r)}`);
      assert.ok(renderAnswerMarkdown('Q', r).startsWith('\n## Q\n\nYes (Tully 2010, p. 3).'));
    });
  });

  describe('the scoring note', () => {
    it('counts requests and tokens, and what was left out', () => {
      assert.equal(rerankNote({ requests: 1, scored: 8, dropped: 0 }), '*MedGemma scored the 8 passages found before answering (1 request).*');
      assert.equal(
        rerankNote({ requests: 2, scored: 8, dropped: 3, usage: { promptTokens: 12000, completionTokens: 345, totalTokens: 12345 } }),
        '*MedGemma scored the 8 passages found before answering and left out 3 as not helping (2 requests, 12,345 tokens).*',
      );
      assert.equal(rerankNote({ requests: 0, scored: 0, dropped: 0 }), '*MedGemma scored the 0 passages found before answering (0 requests).*');
    });

    it('says when the scoring did not work', () => {
      assert.equal(rerankNote({ requests: 1, scored: 8, dropped: 0, failure: 'bad json' }), '*The scoring step did not work this time (1 request); the passages are in the order found.*');
    });
  });

  describe('the source map', () => {
    it('writes one line per source: passage, first page and the citation as shown', () => {
      assert.equal(sourceMapComment([S1, S2]), `${SOURCE_MAP_START}\n0123456789abcdef#2 3 "Tully 2010, p. 3"\nfedcba9876543210#0 4 "Smith et al. 2012, pp. 4–5"\n-->\n`);
    });

    it('is read back from the end of a document, also when the map is all the document', () => {
      const map = sourceMapComment([S1, S2]);
      const back = [
        { chunkId: '0123456789abcdef#2', page: 3, text: 'Tully 2010, p. 3' },
        { chunkId: 'fedcba9876543210#0', page: 4, text: 'Smith et al. 2012, pp. 4–5' },
      ];
      assert.deepEqual(parseSourceMap(map), back);
      assert.deepEqual(parseSourceMap(`# Answer\n\ntext\n${map}  \n`), back);
    });

    it('uses only the last map, and only when it starts a line and ends the document', () => {
      const first = sourceMapComment([S2]);
      const last = sourceMapComment([S1]);
      assert.deepEqual(parseSourceMap(`${first}\n${last}`).map((s) => s.chunkId), ['0123456789abcdef#2']);
      assert.deepEqual(parseSourceMap(`text ${last}`), []);
      assert.deepEqual(parseSourceMap(`${last}more`), []);
      assert.deepEqual(parseSourceMap(`${SOURCE_MAP_START}\n0123456789abcdef#2 3 "x"`), []);
      assert.deepEqual(parseSourceMap(sourceMapComment([])), []);
    });

    it('skips lines that are not exactly a passage, a page and a quoted citation', () => {
      const doc = [
        SOURCE_MAP_START,
        '  0123456789abcdef#2 3 "spaces around"  ',
        '0123456789ABCDEF#2 3 "capitals"',
        '0123456789abcdef 3 "no number"',
        '0123456789abcdef#2 x "no page"',
        '0123456789abcdef#2 3 unquoted',
        '0123456789abcdef#2 3 "bad \\x escape"',
        '0123456789abcdef#2 3 "ok" trailing',
        'x0123456789abcdef#2 3 "prefixed"',
        '0123456789abcdef#12 45 "quote \\" inside"',
        '-->',
      ].join('\n');
      assert.deepEqual(parseSourceMap(doc), [
        { chunkId: '0123456789abcdef#2', page: 3, text: 'spaces around' },
        { chunkId: '0123456789abcdef#12', page: 45, text: 'quote " inside' },
      ]);
    });
  });
});
