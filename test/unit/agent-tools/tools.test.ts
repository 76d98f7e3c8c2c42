// The agent tools' core (src/core/agent-tools), in process against the simulator: what each
// returns as text and as data, the partial summary kept with its failure, and every argument a
// tool refuses with the sentence that names it. The MCP server and VS Code's tools only wrap these.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deidentifyTool } from '../../../src/core/agent-tools/deidentify';
import { describeImageTool } from '../../../src/core/agent-tools/describe-image';
import { askPapersTool, searchPapersTool } from '../../../src/core/agent-tools/papers';
import { serverStatusTool } from '../../../src/core/agent-tools/server-status';
import { noteText, summarizeNoteTool } from '../../../src/core/agent-tools/summarize-note';
import { readToolFile, resolvePath, ToolInputError, whyUnreadable } from '../../../src/core/agent-tools/tool-input';
import { parseLineRange } from '../../../src/core/notes/line-range';
import { SummaryFailedError } from '../../../src/core/notes/summarize';
import { PaperLibrary } from '../../../src/core/papers/library';
import { readPdf } from '../../../src/core/papers/pdf-read';
import { makeConfig } from '../../../src/core/server/config';
import { noCredentials } from '../../../src/core/server/credentials';
import { MedGemmaClient } from '../../../src/core/server/service';
import { startSim, type Sim } from '../../sim';
import { makeDicom } from '../images/make-dicom';
import { makePdf, tmpDir } from '../papers/make-pdf';

const ROOT = path.resolve(__dirname, '../../..');
const NOTE = path.join(ROOT, 'test/fixtures/notes/ed-chest-pain.txt');
const CXR = path.join(ROOT, 'test/fixtures/images/nih-cxr14-00000001_000.png');
const CT = path.join(ROOT, 'test/fixtures/dicom/ct-2frame-rle.dcm');
const signal = () => new AbortController().signal;

/** The ToolInputError a promise rejects with, by its message. */
async function refusal(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => assert.fail('no refusal'),
    (e: unknown) => {
      assert.ok(e instanceof ToolInputError, `not a ToolInputError: ${String(e)}`);
      return e.message;
    },
  );
}

describe('agent tools (core)', function () {
  this.timeout(60_000);
  let sim: Sim;
  let client: MedGemmaClient;

  before(async () => {
    sim = await startSim({ maxModelLen: 16384 });
    client = new MedGemmaClient(makeConfig({ baseUrl: sim.baseUrl }), noCredentials);
  });
  after(async () => sim.stop());

  it('line ranges: "12-40" and "12"; anything else is a sentence naming the argument', () => {
    assert.deepEqual(parseLineRange(' 12-40 ', 'lines'), { range: [12, 40] });
    assert.deepEqual(parseLineRange('7', '--lines'), { range: [7, 7] });
    assert.deepEqual(parseLineRange('12:40', 'lines'), { error: 'lines must look like 12-40 (first-last, 1-based), not "12:40"' });
    assert.deepEqual(parseLineRange('0-3', '--lines'), { error: '--lines 0-3 is not a valid range: use first-last with 1 <= first <= last' });
    assert.deepEqual(parseLineRange('9-3', 'lines'), { error: 'lines 9-3 is not a valid range: use first-last with 1 <= first <= last' });
  });

  it('files: relative to the given folder; missing, a folder, too large: the sentence names the file and the limit', async () => {
    const dir = tmpDir('medgemma-tools-');
    assert.equal(resolvePath('a/b.txt', dir), path.join(dir, 'a/b.txt'));
    assert.equal(resolvePath('/abs/x.txt', dir), '/abs/x.txt');
    assert.equal(await refusal(readToolFile(path.join(dir, 'none.txt'), 10, 'note')), `${path.join(dir, 'none.txt')} does not exist. Give the path of a note on this machine`);
    assert.equal(await refusal(readToolFile(dir, 10, 'note')), `${dir} is a folder. Give the path of a note on this machine`);
    fs.writeFileSync(path.join(dir, 'big.txt'), 'x'.repeat(3 * 1024 * 1024));
    assert.equal(await refusal(readToolFile(path.join(dir, 'big.txt'), 2 * 1024 * 1024, 'note')), `${path.join(dir, 'big.txt')} is 3.0 MB, more than the 2 MB a note may have`);
    assert.equal((await readToolFile(path.join(dir, 'big.txt'), 4 * 1024 * 1024, 'note')).length, 3 * 1024 * 1024);
    assert.equal(whyUnreadable(Object.assign(new Error(), { code: 'EACCES' })), 'is not readable (permission denied)');
    assert.equal(whyUnreadable(Object.assign(new Error('odd'), { code: 'EIO' })), 'cannot be read (EIO)');
    assert.equal(whyUnreadable(new Error('odd')), 'cannot be read (odd)');
  });

  it('summarize_note: by path, the summary with its footer and each statement with lines and check', async () => {
    const out = await summarizeNoteTool(client, { path: path.basename(NOTE) }, { signal: signal(), cwd: path.dirname(NOTE) });
    assert.equal(out.failure, undefined);
    assert.match(out.text, /^### Findings\n- .*\[L\d+\]\n/);
    assert.match(out.text, /\n---\n\nGrounding check: (\d+) of \1 statements verified against the cited lines\./);
    const s = out.structured as { note: string; template: string; unsupported: number; statements: { lines: unknown[]; supported: boolean }[] };
    assert.deepEqual([s.note, s.template, s.unsupported], ['ed-chest-pain.txt', 'brief', 0]);
    assert.ok(s.statements.length > 5 && s.statements.every((x) => x.lines.length > 0 && x.supported));
  });

  it('summarize_note: text with a line range and a template; the lines outside are not sent', async () => {
    const text = fs.readFileSync(NOTE, 'utf8');
    const before = sim.requests.length;
    const out = await summarizeNoteTool(client, { text, lines: '1-6', template: 'problems' }, { signal: signal(), cwd: '/' });
    const s = out.structured as { note: string; template: string; range: [number, number] };
    assert.deepEqual([s.note, s.template, s.range], ['text', 'problems', [1, 6]]);
    const sent = JSON.stringify(sim.requests.slice(before).map((q) => q.body.messages));
    assert.ok(!/\\nL7: /.test(sent), 'line 7 not sent');
  });

  it('summarize_note refuses: both or neither of path and text, an empty or binary file, a bad range or template', async () => {
    const dir = tmpDir('medgemma-tools-');
    fs.writeFileSync(path.join(dir, 'empty.txt'), ' \n');
    fs.writeFileSync(path.join(dir, 'bin.txt'), 'a\u0000b');
    const before = sim.requests.length;
    const both = 'give either path (a note file) or text (the note itself), not both and not neither';
    assert.equal(await refusal(noteText({}, dir)), both);
    assert.equal(await refusal(noteText({ path: 'x', text: 'y' }, dir)), both);
    assert.equal(await refusal(noteText({ path: 'empty.txt' }, dir)), `${path.join(dir, 'empty.txt')} is empty: there is nothing to summarize`);
    assert.equal(await refusal(noteText({ path: 'bin.txt' }, dir)), `${path.join(dir, 'bin.txt')} looks like a binary file, not a text note`);
    assert.equal(await refusal(summarizeNoteTool(client, { text: 'Cough.', lines: 'a-b' }, { signal: signal(), cwd: dir })), 'lines must look like 12-40 (first-last, 1-based), not "a-b"');
    assert.equal(await refusal(summarizeNoteTool(client, { text: 'Cough.', template: 'poem' }, { signal: signal(), cwd: dir })), 'template "poem" is not one of the summary kinds');
    assert.equal(sim.requests.length, before, 'nothing sent');
  });

  it('summarize_note: a server failure after part of the work keeps the partial summary with the failure', async () => {
    sim.setFault({ kind: 'disconnect-mid-stream', afterChunks: 30, count: 10 });
    try {
      const out = await summarizeNoteTool(client, { path: NOTE }, { signal: signal(), cwd: '/' });
      assert.ok(out.failure instanceof SummaryFailedError, String(out.failure));
      assert.match(out.text, /^The summary so far:\n\n/);
      assert.ok((out.structured as { statements: unknown[] }).statements.length >= 1);
    } finally {
      sim.setFault(undefined);
    }
  });

  it('papers: none indexed names the folder and how to add some; search and ask give passages and cited answers', async () => {
    const dir = tmpDir('medgemma-tools-');
    const lib = new PaperLibrary(path.join(dir, 'index'), { inProcess: readPdf });
    const how = 'Index some with X.';
    assert.equal(await refusal(searchPapersTool(lib, { query: 'metformin' }, how)), `no indexed papers in ${lib.dir}. Index some with X.`);
    assert.equal(await refusal(askPapersTool(client, lib, { question: 'metformin?' }, { signal: signal(), howToAdd: how })), `no indexed papers in ${lib.dir}. Index some with X.`);
    const pdf = path.join(dir, 'metformin.pdf');
    fs.writeFileSync(pdf, makePdf([{ lines: ['Metformin trial in type 2 diabetes.'] }, { lines: ['Metformin lowered HbA1c by 1.2 percent over 24 weeks in 310 adults.'] }]));
    await lib.add([pdf]);
    const found = await searchPapersTool(lib, { query: 'metformin HbA1c', k: 1 }, how);
    const passages = (found.structured as { passages: { file: string; pageStart: number; score: number; text: string }[] }).passages;
    assert.equal(passages.length, 1);
    assert.equal(passages[0].file, pdf);
    assert.match(found.text, /^1\. .*, pp?\. [\d–]+ \(score \d+\.\d\d\)\n {3}.*metformin\.pdf\n {3}Metformin/);
    const none = await searchPapersTool(lib, { query: 'zebrafish cardiology' }, how);
    assert.equal(none.text, 'No passage in the indexed papers matches; try other words.');
    const ask = await askPapersTool(client, lib, { question: 'How much did metformin lower HbA1c?', k: 2, max_tokens: 200 }, { signal: signal(), howToAdd: how });
    const a = ask.structured as { covered: boolean; citations: unknown[]; sources: { file: string }[]; finishReason: string; model: string };
    assert.equal(a.covered, true);
    assert.ok(a.sources.every((x) => x.file === pdf) && a.sources.length >= 1);
    assert.equal(a.model, 'medgemma');
    assert.equal(a.finishReason, 'stop');
    const w = (ask.structured as { warnings: { unknownKeys: string[]; unsupportedNumbers: { sentence: string; numbers: string[] }[] } }).warnings;
    assert.deepEqual(w.unknownKeys, []);
    assert.ok(Array.isArray(w.unsupportedNumbers));
    const lastBody = sim.requests.filter((q) => q.path === '/v1/chat/completions').at(-1)!.body;
    assert.equal(lastBody.max_tokens, 200);
    await askPapersTool(client, lib, { question: 'How much did metformin lower HbA1c?' }, { signal: signal(), howToAdd: how });
    assert.equal(sim.requests.filter((q) => q.path === '/v1/chat/completions').at(-1)!.body.max_tokens, 1024);
  });

  it('describe_image: the answer, the frame and window used; a frame or region outside the image is refused', async () => {
    const out = await describeImageTool(client, { path: CXR, prompt: 'Any effusion?', max_tokens: 100 }, { signal: signal(), cwd: '/' });
    const s = out.structured as { answer: string; frame: number; frames: number; kind: string; region: unknown; warnings: string[] };
    assert.match(s.answer, /^Received: .*Any effusion\? \(\+1 image\)/);
    assert.deepEqual([s.frame, s.frames, s.region, s.warnings], [1, 1, null, []]);
    assert.equal(out.text, s.answer.trim());
    assert.equal(await refusal(describeImageTool(client, { path: CXR, frame: 2 }, { signal: signal(), cwd: '/' })), 'nih-cxr14-00000001_000.png has one frame, so there is no frame 2; give frame 1, or leave it out');
    assert.equal(await refusal(describeImageTool(client, { path: CXR, region: { x: 1000, y: 0, width: 100, height: 10 } }, { signal: signal(), cwd: '/' })), 'the region 1000,0 100 x 10 is not inside the 512 x 512 image');
    assert.equal(await refusal(describeImageTool(client, { path: CXR, kind: 'poem' as never }, { signal: signal(), cwd: '/' })), 'kind "poem" is not one of cxr, ct, mri, pathology, dermatology, fundus, other');
  });

  it('describe_image: the defaults sent (500 tokens, the file\'s own window), an exact-fit region, CT windows, a cut answer, burned-in text warned', async () => {
    const last = () => sim.requests.filter((q) => q.path === '/v1/chat/completions').at(-1)!.body;
    const image = () => JSON.stringify(last().messages).match(/data:image\/png;base64,[A-Za-z0-9+/=]+/g)!.join();
    const ct = await describeImageTool(client, { path: CT }, { signal: signal(), cwd: '/' });
    assert.equal(last().max_tokens, 500);
    assert.equal(last().temperature, 0);
    const s = ct.structured as { kind: string; window: { center: number; width: number } | null; prompt: string; finishReason: string };
    assert.equal(s.kind, 'ct');
    assert.deepEqual(s.window && [s.window.center, s.window.width], [49, 102], 'the DICOM\'s own window is used');
    assert.equal(s.finishReason, 'stop');
    const plain = image();
    await describeImageTool(client, { path: CT, ct_windows: true }, { signal: signal(), cwd: '/' });
    assert.notEqual(image(), plain, 'three windows make another image');
    await describeImageTool(client, { path: CT, window: { center: 40, width: 80 } }, { signal: signal(), cwd: '/' });
    assert.notEqual(image(), plain, 'a window given is used');
    const fit = await describeImageTool(client, { path: CXR, region: { x: 412, y: 462, width: 100, height: 50 } }, { signal: signal(), cwd: '/' });
    assert.deepEqual((fit.structured as { region: unknown }).region, { x: 412, y: 462, width: 100, height: 50 });
    assert.equal(await refusal(describeImageTool(client, { path: CXR, region: { x: 0, y: 500, width: 10, height: 13 } }, { signal: signal(), cwd: '/' })), 'the region 0,500 10 x 13 is not inside the 512 x 512 image');
    const cut = await describeImageTool(client, { path: CXR, max_tokens: 2 }, { signal: signal(), cwd: '/' });
    assert.equal((cut.structured as { finishReason: string }).finishReason, 'length');
    assert.match(cut.text, /^\S.*\n\n\(The answer was cut at the token limit; ask again with a larger max_tokens for a complete one\.\)$/s);
    const dir = tmpDir('medgemma-tools-');
    fs.writeFileSync(path.join(dir, 'burned.dcm'), makeDicom({ width: 32, height: 32, burnedIn: 'YES' }));
    const burned = await describeImageTool(client, { path: 'burned.dcm' }, { signal: signal(), cwd: dir });
    const warning = 'The DICOM says its pixels carry burned-in annotation (0028,0301 = YES): text in the image may identify the patient, and it was sent with the image.';
    assert.ok((burned.structured as { warnings: string[] }).warnings.includes(warning));
    assert.ok(burned.text.endsWith(`\n\nNote: ${warning}`), burned.text);
  });

  it('defaults sent by the other tools: a summary 2048 tokens at temperature 0, an answer 1024; a file exactly at the limit is read', async () => {
    const last = () => sim.requests.filter((q) => q.path === '/v1/chat/completions').at(-1)!.body;
    const out = await summarizeNoteTool(client, { text: 'Patient seen for cough.\nNo fever.\n' }, { signal: signal(), cwd: '/' });
    assert.equal(last().temperature, 0);
    assert.ok((last().max_tokens as number) <= 2048 && (last().max_tokens as number) > 1000, String(last().max_tokens));
    assert.match(out.text, /\]\n\n---\n\nGrounding check:/, 'the summary ends before the footer, trimmed');
    const dir = tmpDir('medgemma-tools-');
    fs.writeFileSync(path.join(dir, 'exact.txt'), 'x'.repeat(1024));
    assert.equal((await readToolFile(path.join(dir, 'exact.txt'), 1024, 'note')).length, 1024);
    assert.equal(new ToolInputError('x').name, 'ToolInputError');
  });

  it('deidentify: stand-ins and spans, nothing sent; server_status: the report in the front end\'s words', async () => {
    const before = sim.requests.length;
    const d = deidentifyTool({ text: 'Patient: Eleanor Vandersloot, MRN 00728814.' });
    assert.ok(!d.text.includes('Vandersloot') && !d.text.includes('00728814'), d.text);
    const spans = (d.structured as { spans: { type: string; text: string }[] }).spans;
    assert.ok(spans.some((x) => x.text.includes('Vandersloot')) && spans.some((x) => x.text === '00728814'));
    assert.equal(sim.requests.length, before);
    const status = await serverStatusTool(client, (s) => `[${s}]`);
    assert.match(status.text, /medgemma/);
    const report = status.structured as { reachable: boolean; problems: string[] };
    assert.equal(report.reachable, true);
    assert.ok(report.problems.every((p) => p.startsWith('[') && p.endsWith(']')));
  });
});
