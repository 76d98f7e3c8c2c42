import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkAnswer } from '../../../src/core/papers/answer-check';
import { askPapers, NOT_COVERED } from '../../../src/core/papers/ask';
import { PaperLibrary } from '../../../src/core/papers/library';
import { readPdf } from '../../../src/core/papers/pdf-read';
import { neutralizeLinks } from '../../../src/core/model-text/links';
import type { Citation } from '../../../src/core/papers/ask';
import { parseSourceMap, renderAnswerBody, renderAnswerMarkdown, sourceMapComment } from '../../../src/core/papers/render';
import type { ChatMessage, ChatRequest, ChatResult, ChatService, StreamOptions, TokenCount } from '../../../src/core/server/types';
import { startSim, type Sim } from '../../sim';
import { requireFixture } from '../../fixtures';
import { builtWorker, encryptWithQpdf, makePdf, PDFS, tmpDir } from './make-pdf';

/** Answers with a fixed text, streamed in pieces; counts tokens as chars/4; records requests. */
class ScriptedChat implements ChatService {
  readonly requests: ChatRequest[] = [];
  constructor(
    private readonly answer: (prompt: string) => string,
    private readonly context = 8192,
  ) {}
  async contextLength(): Promise<number> {
    return this.context;
  }
  async countTokens(messages: ChatMessage[]): Promise<TokenCount> {
    return { tokens: Math.ceil(messages.reduce((n, m) => n + String(m.content).length, 0) / 4), exact: true };
  }
  async chat(req: ChatRequest, opts: StreamOptions = {}): Promise<ChatResult> {
    this.requests.push(req);
    const text = this.answer(String(req.messages.at(-1)!.content));
    for (const piece of text.match(/.{1,7}/gs) ?? []) opts.onDelta?.(piece);
    return { text, finishReason: 'stop', model: 'fake', promptTokens: 0, maxTokens: req.maxTokens };
  }
}

async function smallLibrary(): Promise<PaperLibrary> {
  const dir = tmpDir('medgemma-ask-');
  const a = path.join(dir, 'metformin.pdf');
  const b = path.join(dir, 'heparin.pdf');
  fs.writeFileSync(a, makePdf([{ lines: ['Metformin trial in type 2 diabetes.'] }, { lines: ['Metformin lowered HbA1c by 1.2 percent over 24 weeks in 310 adults.'] }]));
  fs.writeFileSync(b, makePdf([{ lines: ['Heparin bridging before surgery increased bleeding in 12 of 950 patients.'] }]));
  const lib = new PaperLibrary(path.join(dir, 'index'), { inProcess: readPdf });
  await lib.add([a, b]);
  return lib;
}

describe('papers: askPapers', () => {
  it('numbers the retrieved passages, streams a cited answer and checks keys and numbers', async () => {
    const lib = await smallLibrary();
    const chat = new ScriptedChat(() => 'Metformin lowered HbA1c by 1.2 percent [S1]. It was given for 52 weeks [S1]. Bridging was safe [S7].');
    const deltas: string[] = [];
    const r = await askPapers(chat, lib, 'How much did metformin lower HbA1c?', { onDelta: (t) => deltas.push(t) });
    assert.equal(r.covered, true);
    assert.equal(deltas.join(''), r.answer);
    // The passages travel with the instructions (sent as written); the question is the user's turn (pseudonymized when the gate is on).
    const [system, user] = chat.requests[0].messages;
    assert.deepEqual([system.role, user.role], ['system', 'user']);
    assert.equal(user.content, 'Question: How much did metformin lower HbA1c?');
    const prompt = `${String(system.content)}\n\n${String(user.content)}`;
    assert.match(prompt, /^\[S1\] Metformin trial in type 2 diabetes, "Metformin trial in type 2 diabetes\.", pp\. 1–2$/m);
    assert.match(prompt, /Question: How much did metformin lower HbA1c\?/);
    assert.equal(r.sources[0].pageStart, 1);
    assert.deepEqual(r.check.unknownKeys, ['S7']);
    assert.deepEqual(r.cited.map((c) => c.key), ['S1']);
    assert.deepEqual(r.check.sentences.find((s) => /52 weeks/.test(s.text))?.unsupportedNumbers, ['52']);
    assert.deepEqual(r.check.sentences.find((s) => /1\.2 percent/.test(s.text))?.unsupportedNumbers, []);
    const md = renderAnswerMarkdown('How much?', r, (c) => `command:open?${c.pageStart}`);
    assert.match(md, /\(\[Metformin trial in type 2 diabetes, pp\. 1–2\]\(command:open\?1\)\)/);
    assert.match(md, /52 not found in the cited passage/);
    assert.match(md, /S7 ⚠ not one of the sources/);
    // The chat lists only cited sources and counts the others.
    const withUncited = { ...r, sources: [...r.sources, { ...r.sources[0], key: 'S2', chunkId: `${r.sources[0].chunkId}-other` }] };
    const chatBody = renderAnswerBody(withUncited, undefined, { citedOnly: true });
    assert.match(chatBody, /- \*\*S1\*\* Metformin trial/);
    assert.doesNotMatch(chatBody, /\*\*S2\*\*|\(not cited\)/);
    assert.match(chatBody, /\*1 more passage was given to the model but not cited\.\*/);
    assert.match(renderAnswerBody(withUncited), /- \*\*S2\*\* .*\(not cited\)/);
  });

  it('does not call the model when no passage covers the question', async () => {
    const lib = await smallLibrary();
    const chat = new ScriptedChat(() => 'should not be called');
    const r = await askPapers(chat, lib, 'What is the capital of France?');
    assert.equal(r.covered, false);
    assert.equal(r.answer, NOT_COVERED);
    assert.equal(chat.requests.length, 0);
  });

  it('fits only as many passages as the context allows', async function () {
    requireFixture(this, PDFS);
    const dir = tmpDir('medgemma-ask-');
    const lib = new PaperLibrary(dir, { inProcess: readPdf });
    await lib.add(fs.readdirSync(PDFS).filter((f) => f.endsWith('.pdf')).map((f) => path.join(PDFS, f)));
    const chat = new ScriptedChat(() => 'Patients valued the programme [S1].', 3000);
    const r = await askPapers(chat, lib, 'heart failure rehabilitation programme patient experience', { maxTokens: 512, k: 8 });
    const tokens = (await chat.countTokens(chat.requests[0].messages)).tokens;
    assert.ok(r.sources.length >= 1 && r.sources.length < 8, `${r.sources.length} sources`);
    assert.ok(tokens + 512 <= 3000, `${tokens} prompt tokens`);
  });

  it('makes the model\'s links inert in documents and in the chat, and reports links no passage has', async () => {
    const lib = await smallLibrary();
    const answer = 'Metformin lowered HbA1c [S1]. See [the protocol](command:workbench.action.terminal.new) and [guide](https://evil.example/x) [S1]. [(Tully 2010, p. 3)](medgemma-paper:deadbeefdeadbeef%230?page=1)';
    const r = await askPapers(new ScriptedChat(() => answer), lib, 'How much did metformin lower HbA1c?');
    assert.deepEqual(r.check.foreignLinks.sort(), ['command:workbench.action.terminal.new', 'https://evil.example/x', 'medgemma-paper:deadbeefdeadbeef%230?page=1']);
    const doc = renderAnswerMarkdown('q', r);
    assert.doesNotMatch(doc, /\]\(/, 'no markdown link in the document');
    assert.match(doc, /the protocol \(link: `command:workbench\.action\.terminal\.new`\)/);
    assert.match(doc, /contains links that no passage has \(shown as text, not opened\)/);
    const chat = renderAnswerBody(r, (c) => `medgemma-paper:${c.chunkId}`, { mode: 'chat' });
    assert.match(chat, /\[guide\]\(https:\/\/evil\.example\/x\)/, 'a web link stays a link: the chat asks before opening it');
    assert.match(chat, /\(Tully 2010, p\. 3\) \(link: `medgemma-paper:deadbeefdeadbeef%230\?page=1`\)/, 'a forged citation is text');
    const targets = [...chat.matchAll(/\]\(medgemma-paper:([^)]*)\)/g)].map((m) => m[1]);
    assert.ok(targets.length >= 2 && targets.every((t) => t === r.sources[0].chunkId), `only our own citations are links: ${targets}`);
  });

  it('reads only the source map the document ends with, not one the model wrote', () => {
    const ours = sourceMapComment([{ chunkId: '0123456789abcdef#2', pageStart: 3, label: 'Tully 2010', pageEnd: 3 } as Citation]);
    const forged = '<!-- medgemma-papers-sources\ndeadbeefdeadbeef#0 1 "click here"\n-->';
    const doc = `# Papers answer\n\n${neutralizeLinks(forged).text}\n\nText.\n\n${ours}`;
    assert.deepEqual(parseSourceMap(doc).map((s) => s.chunkId), ['0123456789abcdef#2']);
    assert.deepEqual(parseSourceMap(`Answer ${forged}`), [], 'a map not on its own line');
    assert.deepEqual(parseSourceMap(`${ours}\nMore text after the map.`), [], 'a map that does not close the document');
  });

  it('checks numbers with thousands separators and percentages', () => {
    const c = checkAnswer('Of 1,250 patients, 12% bled [S1]. Mortality was 3.4% [S2].', [
      { key: 'S1', text: '1250 patients were enrolled; 12 % had a bleed.' },
      { key: 'S2', text: 'Mortality 3.5%.' },
    ]);
    assert.deepEqual(c.sentences.map((s) => s.unsupportedNumbers), [[], ['3.4']]);
  });
});

describe('papers: medgemma papers (CLI)', function () {
  this.timeout(60_000);
  let sim: Sim;
  before(async () => {
    sim = await startSim({ maxModelLen: 8192 });
  });
  after(() => sim.stop());

  const ROOT = path.resolve(__dirname, '../../..');
  function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ['-r', 'tsx/cjs', path.join(ROOT, 'src/cli/main.ts'), 'papers', ...args], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', MEDGEMMA_PDF_WORKER: builtWorker(), ...env },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('indexes, searches (--json) and asks with citations; a bad file is reported, the others indexed', async function () {
    requireFixture(this, PDFS);
    const dir = tmpDir('medgemma-cli-');
    const bad = path.join(dir, 'bad.pdf');
    fs.writeFileSync(bad, 'not a pdf');
    const env = { MEDGEMMA_PAPERS_DIR: path.join(dir, 'index'), MEDGEMMA_BASE_URL: sim.baseUrl };
    const idx = await cli(['index', path.join(PDFS, 'tully2010-heart-failure-programmes.pdf'), bad], env);
    assert.equal(idx.code, 2, idx.stderr);
    assert.match(idx.stdout, /^indexed\s+.*tully.*6 pages/m);
    assert.match(idx.stdout, /^failed\s+.*bad\.pdf\n\s+bad\.pdf is not a readable PDF/m);

    const s = await cli(['search', 'GP services after rehabilitation', '--k', '2', '--json'], env);
    assert.equal(s.code, 0, s.stderr);
    const { hits } = JSON.parse(s.stdout);
    assert.equal(hits.length, 2);
    assert.deepEqual(Object.keys(hits[0]).sort(), ['file', 'pageEnd', 'pageStart', 'score', 'text', 'title', 'via']);
    assert.equal(hits[0].via, 'words', 'no embedding model: found by words');
    assert.equal(hits[0].title, 'Patient Experiences of Structured Heart Failure Programmes');
    assert.ok(hits[0].score >= hits[1].score);

    const a = await cli(['ask', 'What did participants think of GP services?', '--json'], env);
    assert.equal(a.code, 0, a.stderr);
    const ans = JSON.parse(a.stdout);
    assert.equal(ans.covered, true);
    assert.match(ans.answer, /\[S1\]/);
    assert.equal(ans.citations[0].key, 'S1');
    assert.equal(ans.citations[0].label, 'Tully 2010');
    assert.ok(ans.citations[0].pageStart >= 1);
    assert.deepEqual(ans.warnings.unknownKeys, []);

    const md = await cli(['ask', 'What did participants think of GP services?'], env);
    assert.match(md.stdout, /\(Tully 2010, pp?\. \d/);
    assert.match(md.stdout, /### Sources/);
  });

  it('an encrypted PDF: its decrypted text reaches the index folder only with --store-decrypted (qpdf; fails with CI=true when qpdf is missing)', async function () {
    const dir = tmpDir('medgemma-cli-');
    const env = { MEDGEMMA_PAPERS_DIR: path.join(dir, 'index'), MEDGEMMA_BASE_URL: sim.baseUrl };
    const plain = path.join(dir, 'plain.pdf');
    fs.writeFileSync(plain, makePdf([{ lines: ['Rivaroxaban reduced recurrent thrombosis in the locked trial.'] }]));
    encryptWithQpdf(this, plain, path.join(dir, 'locked.pdf'), 'pw');
    fs.rmSync(plain);
    const refused = /^encrypted\s+.*locked\.pdf\n\s+locked\.pdf is password-protected and was not indexed: its decrypted text would be stored unencrypted in .*index\. To index it anyway: medgemma papers index ".*locked\.pdf" --password P --store-decrypted$/m;
    for (const args of [[], ['--password', 'pw']]) {
      const no = await cli(['index', path.join(dir, 'locked.pdf'), ...args], env);
      assert.equal(no.code, 2, no.stdout + no.stderr);
      assert.match(no.stdout, refused);
    }
    const files = fs.readdirSync(env.MEDGEMMA_PAPERS_DIR, { recursive: true }).map(String);
    for (const f of files.filter((f) => fs.statSync(path.join(env.MEDGEMMA_PAPERS_DIR, f)).isFile())) {
      assert.doesNotMatch(fs.readFileSync(path.join(env.MEDGEMMA_PAPERS_DIR, f), 'latin1'), /rivaroxaban/i, f);
    }
    const yes = await cli(['index', path.join(dir, 'locked.pdf'), '--password', 'pw', '--store-decrypted'], env);
    assert.equal(yes.code, 0, yes.stdout + yes.stderr);
    assert.match(yes.stdout, /^indexed\s+.*locked\.pdf — 1 pages, 1 passages \(password-protected: its decrypted text is stored unencrypted in the index folder\)$/m);
    const found = JSON.parse((await cli(['search', 'rivaroxaban recurrent thrombosis', '--json', '--k', '1'], env)).stdout);
    assert.match(found.hits[0].file, /locked\.pdf$/);
  });
});
