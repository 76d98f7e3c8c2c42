// `medgemma mcp` as an agent meets it: the bundled CLI started as a real process by the MCP
// SDK's own client over stdio, against the simulator. Lists the tools, calls each, gives bad
// arguments, meets a server that is down, and cancels a call (the request to MedGemma closes).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { DISCLAIMER } from '../../../src/core/notes/render';
import { PaperLibrary } from '../../../src/core/papers/library';
import { readPdf } from '../../../src/core/papers/pdf-read';
import { VERSION } from '../../../src/cli/version';
import { builtCli, runCli } from '../../cli-process';
import { fixture } from '../../fixtures';
import { startSim, type Sim } from '../../sim';
import { makeDicom } from '../images/make-dicom';

interface ToolResult {
  content: { type: string; text: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

describe('medgemma mcp: the MCP server over stdio, driven by the SDK client', function () {
  this.timeout(120_000);
  let sim: Sim;
  let dir: string;
  let index: string;
  let stderr: string;
  const open: Client[] = [];

  /** Starts `medgemma mcp` with these options and connects the SDK's client to it. */
  async function connect(args: string[] = [], env: Record<string, string> = {}): Promise<Client> {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [path.join(builtCli(), 'cli.js'), 'mcp', ...args],
      env: { PATH: process.env.PATH ?? '', HOME: dir, ...env },
      cwd: dir,
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (d) => (stderr += String(d)));
    const client = new Client({ name: 'medgemma-test', version: '1.0.0' });
    await client.connect(transport);
    open.push(client);
    return client;
  }
  const serve = () => connect(['--base-url', sim.baseUrl, '--index', index]);
  const call = async (c: Client, name: string, args: Record<string, unknown> = {}, signal?: AbortSignal) => (await c.callTool({ name, arguments: args }, { signal })) as ToolResult;
  const text = (r: ToolResult) => r.content.map((c) => c.text).join('\n');

  before(async () => {
    builtCli();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgemma-mcp-'));
    index = path.join(dir, 'papers');
    const lib = new PaperLibrary(index, { inProcess: readPdf });
    await lib.add([fixture('pdfs', 'tully2010-heart-failure-programmes.pdf')]);
    fs.copyFileSync(fixture('notes', 'radiology-cxr-report.txt'), path.join(dir, 'cxr.txt'));
    fs.copyFileSync(fixture('images', 'nih-cxr14-00000001_000.png'), path.join(dir, 'cxr.png'));
    fs.writeFileSync(path.join(dir, 'burned.dcm'), makeDicom({ width: 32, height: 32, burnedIn: 'YES' }));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(async () => {
    sim = await startSim({ maxModelLen: 8192 });
    stderr = '';
  });
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close().catch(() => undefined);
    await sim.stop();
  });

  it('lists six tools, each with a description, an input schema and what it touches; says on stderr what it serves', async () => {
    const c = await serve();
    assert.deepEqual(c.getServerVersion(), { name: 'medgemma', title: 'MedGemma', version: VERSION });
    const { tools } = await c.listTools();
    assert.deepEqual(tools.map((t) => t.name), ['summarize_note', 'search_papers', 'ask_papers', 'describe_image', 'deidentify', 'server_status']);
    for (const t of tools) {
      assert.ok((t.description ?? '').length > 80, `${t.name}: a description an agent can act on`);
      assert.equal(t.inputSchema.type, 'object', t.name);
      assert.equal(t.annotations?.readOnlyHint, true, t.name);
    }
    const byName = new Map(tools.map((t) => [t.name, t]));
    assert.deepEqual(Object.keys(byName.get('summarize_note')!.inputSchema.properties ?? {}), ['path', 'text', 'template', 'lines']);
    assert.deepEqual(byName.get('search_papers')!.inputSchema.required, ['query']);
    assert.deepEqual([byName.get('search_papers')!.annotations?.openWorldHint, byName.get('deidentify')!.annotations?.openWorldHint, byName.get('ask_papers')!.annotations?.openWorldHint], [false, false, true]);
    assert.match(stderr, new RegExp(`^medgemma mcp: serving ${sim.baseUrl.replace(/[.]/g, '\\.')} \\(papers: .*papers\\) on standard input/output$`, 'm'));
  });

  it('summarize_note: by path or as text (a line range too); the statements with their cited lines and check', async () => {
    const c = await serve();
    const r = await call(c, 'summarize_note', { path: 'cxr.txt', template: 'brief' });
    assert.equal(r.isError, undefined, text(r));
    assert.match(text(r), /\[L\d+\]/);
    assert.match(text(r), /Grounding check: \d+ of \d+ statements verified against the cited lines/);
    assert.ok(text(r).trim().endsWith(DISCLAIMER));
    const s = r.structuredContent as { note: string; template: string; summary: string; statements: { text: string; lines: [number, number][]; supported: boolean }[]; unsupported: number; finishReason: string };
    assert.deepEqual([s.note, s.template, s.finishReason], ['cxr.txt', 'brief', 'stop']);
    assert.ok(s.statements.length > 3 && s.statements.every((x) => x.lines.length > 0));
    assert.equal(s.unsupported, s.statements.filter((x) => !x.supported).length);

    const note = 'Chief complaint: cough for three days.\nNo fever.\nLungs clear on exam.\nPlan: fluids and rest.\n';
    const part = await call(c, 'summarize_note', { text: note, lines: '2-3' });
    assert.equal(part.isError, undefined, text(part));
    assert.deepEqual((part.structuredContent as { range: number[] }).range, [2, 3]);
    const sent = JSON.stringify(sim.requests.filter((q) => q.path.endsWith('/chat/completions')).at(-1)!.body.messages);
    assert.ok(sent.includes('No fever') && !sent.includes('Chief complaint') && !sent.includes('fluids and rest'), 'lines outside the range were sent');
  });

  it('bad arguments are error results that say what to fix; nothing is sent', async () => {
    const c = await serve();
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['summarize_note', {}, /give either path \(a note file\) or text \(the note itself\), not both and not neither/],
      ['summarize_note', { path: 'cxr.txt', text: 'x' }, /not both and not neither/],
      ['summarize_note', { path: 'missing.txt' }, /missing\.txt does not exist\. Give the path of a note on this machine/],
      ['summarize_note', { path: '.' }, /is a folder/],
      ['summarize_note', { text: 'a note', lines: '5-2' }, /^lines 5-2 is not a valid range: use first-last with 1 <= first <= last$/],
      ['summarize_note', { text: 'a note', template: 'limerick' }, /template: Invalid option/],
      ['summarize_note', { text: ' \n\n ', template: 'brief' }, /empty|nothing to summarize/],
      ['describe_image', { path: 'cxr.txt' }, /not a PNG, JPEG or DICOM|not an image|cannot be read as/i],
      ['describe_image', { path: 'cxr.png', region: { x: 900, y: 900, width: 500, height: 500 } }, /the region 900,900 500 x 500 is not inside the 512 x 512 image/],
      ['describe_image', { path: 'cxr.png', frame: 2 }, /cxr\.png has one frame, so there is no frame 2; give frame 1, or leave it out/],
      ['search_papers', { query: '' }, /query/],
      ['search_papers', { query: 'exercise', k: 0 }, /k/],
    ];
    for (const [tool, args, why] of cases) {
      const r = await call(c, tool, args);
      assert.equal(r.isError, true, `${tool} ${JSON.stringify(args)}: ${text(r)}`);
      assert.match(text(r), why, `${tool} ${JSON.stringify(args)}: ${text(r)}`);
      assert.doesNotMatch(text(r), /unexpected error|This is a bug|TypeError|at \S+ \(/, text(r));
    }
    assert.equal(sim.requests.filter((q) => q.path.endsWith('/chat/completions')).length, 0);
  });

  it('papers: search on this machine with no server; ask with page citations; no index is a sentence naming the folder', async () => {
    await sim.stop(); // search needs no server
    const c = await serve();
    const s = await call(c, 'search_papers', { query: 'supervised exercise sessions', k: 3 });
    assert.equal(s.isError, undefined, text(s));
    const passages = (s.structuredContent as { passages: { file: string; title: string; pageStart: number; score: number; text: string }[] }).passages;
    assert.equal(passages.length, 3);
    assert.ok(passages.every((p) => p.file.endsWith('tully2010-heart-failure-programmes.pdf') && p.pageStart >= 1 && p.score > 0));
    assert.match(text(s), /^1\. .*, pp?\. \d/m);
    await sim.restart();
    const a = await call(c, 'ask_papers', { question: 'What did patients say about the supervised exercise sessions?' });
    assert.equal(a.isError, undefined, text(a));
    const answer = a.structuredContent as { covered: boolean; citations: { label: string; pageStart: number }[]; sources: unknown[] };
    assert.equal(answer.covered, true);
    assert.ok(answer.citations.length > 0 && answer.citations.every((x) => x.pageStart >= 1));
    assert.match(text(a), /### Sources/);

    const empty = await connect(['--base-url', sim.baseUrl, '--index', path.join(dir, 'no-papers-here')]);
    const none = await call(empty, 'search_papers', { query: 'exercise' });
    assert.equal(none.isError, true);
    assert.match(text(none), /^no indexed papers in .*no-papers-here\. Index some with "medgemma papers index <files>" \(or start the server with --index DIR\)$/);
  });

  it('ask_papers by meaning too (--embedding-model, embedded in the background) and scored first (--rerank, unless the agent says no); search_papers stays on words', async () => {
    const embed = await startSim({ models: [{ id: 'sim-embed', embedding: { dims: 64 } }] });
    try {
      const c = await connect(['--base-url', sim.baseUrl, '--index', index, '--embedding-model', 'sim-embed', '--embedding-url', embed.baseUrl, '--rerank']);
      const embedded = () => embed.requests.filter((r) => r.path === '/v1/embeddings');
      const s = await call(c, 'search_papers', { query: 'supervised exercise sessions' });
      assert.equal(s.isError, undefined, text(s));
      assert.equal(embedded().length, 0, 'search_papers sends nothing anywhere');
      const question = 'What did patients say about the supervised exercise sessions?';
      const first = await call(c, 'ask_papers', { question });
      assert.equal(first.isError, undefined, text(first));
      // The passages are embedded in the background; the next question reads their vectors.
      for (let i = 0; i < 100 && !/embedded \d+ passages with sim-embed for search by meaning/.test(stderr); i++) await new Promise((r) => setTimeout(r, 100));
      assert.match(stderr, /medgemma mcp: embedded \d+ passages with sim-embed for search by meaning/);
      const a = await call(c, 'ask_papers', { question });
      assert.equal(a.isError, undefined, text(a));
      const answer = a.structuredContent as { covered: boolean; retrieval: { method: string }; rerank: { scored: number; requests: number } | null };
      assert.equal(answer.covered, true);
      assert.deepEqual(answer.retrieval, { method: 'words+meaning' });
      assert.ok(answer.rerank && answer.rerank.scored > 0 && answer.rerank.requests === 1, JSON.stringify(answer.rerank));
      assert.match(text(a), /MedGemma scored the \d+ passages found before answering/);
      assert.ok(embedded().some((r) => JSON.stringify(r.body).includes(question)), 'the question went to the embedding server');
      const plain = await call(c, 'ask_papers', { question, rerank: false });
      assert.equal((plain.structuredContent as { rerank: unknown }).rerank, null, "the agent's rerank: false wins over --rerank");

      // The embedding server gone: the question is still answered, by words, and says so.
      await embed.stop();
      const down = await call(c, 'ask_papers', { question });
      assert.equal(down.isError, undefined, text(down));
      assert.match(text(down), /Search by meaning was skipped this time: the embedding server did not answer\. The passages were found by their words\./);
    } finally {
      await embed.stop().catch(() => undefined);
    }
  });

  it('describe_image: the answer about a radiograph and a region; a DICOM with burned-in text is warned about', async () => {
    const c = await serve();
    const whole = await call(c, 'describe_image', { path: 'cxr.png' });
    assert.equal(whole.isError, undefined, text(whole));
    const w = whole.structuredContent as { answer: string; kind: string; frame: number; frames: number; warnings: string[]; region: unknown };
    assert.ok(w.answer.length > 0);
    assert.deepEqual([w.frame, w.frames, w.warnings, w.region], [1, 1, [], null]);
    const region = await call(c, 'describe_image', { path: 'cxr.png', region: { x: 100, y: 100, width: 200, height: 200 }, prompt: 'Is there an effusion here?' });
    assert.equal(region.isError, undefined, text(region));
    assert.match((region.structuredContent as { prompt: string }).prompt, /Is there an effusion here\?$/, 'the question as sent');
    const sent = sim.requests.filter((q) => q.path.endsWith('/chat/completions')).at(-1)!.body.messages;
    assert.ok(JSON.stringify(sent).includes('data:image/png;base64,'));
    const burned = await call(c, 'describe_image', { path: 'burned.dcm' });
    assert.equal(burned.isError, undefined, text(burned));
    assert.match(text(burned), /burned-in annotation \(0028,0301 = YES\)/);
  });

  it('deidentify: stand-ins on this machine, the spans; server_status: the doctor report, or why the server is not reachable', async () => {
    const c = await serve();
    const note = fs.readFileSync(fixture('notes', 'deid-sample.txt'), 'utf8');
    const d = await call(c, 'deidentify', { text: note });
    assert.equal(d.isError, undefined);
    for (const id of ['Vandersloot', '519-22-4078', '00728814']) assert.ok(!text(d).includes(id), `${id} kept`);
    const spans = (d.structuredContent as { spans: { start: number; end: number; type: string; text: string }[] }).spans;
    assert.ok(spans.some((s) => s.text.includes('Vandersloot') && note.slice(s.start, s.end) === s.text));
    assert.equal(sim.requests.length, 0, 'deidentify sent something');

    const st = await call(c, 'server_status');
    assert.equal(st.isError, undefined);
    assert.deepEqual([(st.structuredContent as { reachable: boolean }).reachable, (st.structuredContent as { problems: string[] }).problems], [true, []]);
    assert.match(text(st), /^Reachable: yes$/m);
    await sim.stop();
    const down = await call(c, 'server_status');
    assert.equal((down.structuredContent as { reachable: boolean }).reachable, false);
    assert.match(text(down), /Reachable: no/);
  });

  it('a server that is down: the error result says so and what to do; the MCP server lives on', async () => {
    await sim.stop();
    const c = await serve();
    const r = await call(c, 'summarize_note', { path: 'cxr.txt' });
    assert.equal(r.isError, true);
    assert.match(text(r), /reach|connect/i);
    assert.match(text(r), /--base-url|vllm serve/);
    await sim.restart();
    const again = await call(c, 'summarize_note', { path: 'cxr.txt' });
    assert.equal(again.isError, undefined, text(again));
  });

  it('a call the client cancels closes the request to MedGemma', async () => {
    sim.setOptions({ tokensPerSecond: 5 });
    const c = await serve();
    const stop = new AbortController();
    const closed = sim.waitForClose(undefined, 20_000);
    const pending = call(c, 'summarize_note', { path: 'cxr.txt' }, stop.signal).then(
      () => 'answered',
      () => 'cancelled',
    );
    await new Promise<void>((res) => {
      const t = setInterval(() => {
        if (sim.requests.some((q) => q.path.endsWith('/chat/completions') && q.contentChunks > 0)) {
          clearInterval(t);
          res();
        }
      }, 50);
    });
    stop.abort();
    assert.equal(await pending, 'cancelled');
    await closed;
    const chat = sim.requests.find((q) => q.path.endsWith('/chat/completions'))!;
    assert.equal(chat.closedEarly, true);
  });

  it('refused at the start, with the sentence and exit 2: the privacy mode warn (nobody can answer), an argument', async () => {
    const warn = await runCli(['mcp', '--base-url', sim.baseUrl, '--privacy', 'warn'], { cwd: dir });
    assert.equal(warn.code, 2);
    assert.match(warn.stderr, /^error: --privacy warn asks before sending identifiers, and there is no terminal to ask in .* Use --privacy pseudonymize/m);
    assert.equal(warn.stdout, '', 'stdout is the protocol\'s');
    const extra = await runCli(['mcp', 'notes.txt'], { cwd: dir });
    assert.equal(extra.code, 2);
    assert.match(extra.stderr, /medgemma mcp takes no arguments, only options \(got "notes\.txt"\)/);
  });

  it('reports the version package.json says', () => {
    assert.equal(VERSION, JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')).version);
  });
});
