// The batch's jobs in this process, over the simulator: what summarizeJob and describeJob send
// and record (a cut summary or answer is a failure that keeps its text, a binary or empty note
// is refused before anything is sent, a DICOM's burned-in text is warned about), and
// serverQueue, which reads vLLM's queue and knows when a server does not tell.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeJob } from '../../../src/core/batch/describe-job';
import { serverQueue } from '../../../src/core/batch/queue';
import { summarizeJob } from '../../../src/core/batch/summarize-job';
import { findTemplate } from '../../../src/core/notes/templates';
import { makeConfig } from '../../../src/core/server/config';
import { noCredentials } from '../../../src/core/server/credentials';
import { MedGemmaClient } from '../../../src/core/server/service';
import { fixture } from '../../fixtures';
import { startSim, type Sim } from '../../sim';
import { VERTEX } from '../../sim/vertex-access';
import { makeDicom } from '../images/make-dicom';

describe('batch jobs against the simulator', function () {
  this.timeout(60_000);
  let sim: Sim;
  let dir: string;
  const client = (over: Parameters<typeof makeConfig>[0] = {}) => new MedGemmaClient(makeConfig({ baseUrl: sim.baseUrl, ...over }), noCredentials);
  const signal = () => new AbortController().signal;
  const note = () => fs.readFileSync(fixture('notes', 'radiology-cxr-report.txt'));

  beforeEach(async () => {
    sim = await startSim({ maxModelLen: 8192, maxImages: 4 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgemma-jobs-'));
  });
  afterEach(async () => {
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('summarizeJob', () => {
    const job = (over: Partial<Parameters<typeof summarizeJob>[1]> = {}) =>
      summarizeJob(client(), { template: findTemplate('soap')!, model: 'medgemma', maxTokens: 2048, temperature: 0, ...over });

    it('names the template and model it is keyed by; a note is summarized and checked, the record has what the results file promises', async () => {
      const j = job();
      assert.deepEqual(j.fields, { template: 'soap', model: 'medgemma' });
      assert.deepEqual([j.keyFields, j.noun, j.prepareSlots, j.maxBytes], [['file', 'sha256', 'template', 'model'], 'note', Infinity, 10 * 1024 * 1024]);
      const o = await (await j.prepare('cxr.txt', note()))(signal());
      assert.equal(o.ok, true, String(o.error));
      const r = o.record as { summary: string; statements: { supported: boolean }[]; unsupported: number; parts: number; finishReason: string; usage: { completionTokens: number } };
      assert.deepEqual(Object.keys(r).sort(), ['finishReason', 'modelCheck', 'parts', 'statements', 'summary', 'unsupported', 'usage']);
      assert.ok(r.summary.length > 0 && r.statements.length > 3);
      assert.equal(r.unsupported, r.statements.filter((s) => !s.supported).length);
      assert.deepEqual([r.parts, r.finishReason], [1, 'stop']);
      assert.ok(r.usage.completionTokens > 0 && o.usage?.completionTokens === r.usage.completionTokens);
      const body = sim.requests.at(-1)!.body;
      assert.deepEqual([body.max_tokens <= 2048, body.temperature], [true, 0]);
    });

    it('empty and binary notes are refused before anything is sent', async () => {
      const j = job();
      await assert.rejects(j.prepare('/n/empty.txt', Buffer.from(' \n\t\n')), /^Error: \/n\/empty\.txt is empty: there is nothing to summarize$/);
      await assert.rejects(j.prepare('/n/scan.txt', Buffer.from('ok\u0000\u0001')), /^Error: \/n\/scan\.txt looks like a binary file, not a text note$/);
      assert.equal(sim.requests.length, 0);
    });

    it('a summary cut at the token limit fails with what to do, its text kept', async () => {
      const o = await (await job({ maxTokens: 40 }).prepare('cxr.txt', note()))(signal());
      assert.equal(o.ok, false);
      assert.match(String(o.error), /the summary was cut at the token limit; raise --max-tokens and run the batch again/);
      assert.equal((o.record as { finishReason: string }).finishReason, 'length');
      assert.ok(((o.record as { summary: string }).summary ?? '').length > 0, 'the partial summary was dropped');
    });

    it('a model check that cannot finish fails the note; the summary and its rule checks are kept', async () => {
      // The summary passes, every check request after it fails.
      sim.setFault({ kind: 'server-error-500', skip: 1 });
      const o = await (await job({ verify: 'rules+model' }).prepare('cxr.txt', note()))(signal());
      assert.equal(o.ok, false);
      assert.match(String(o.error), /^Error: the model check did not reach every statement \(.*HTTP 500.*\); the summary and its rule checks are complete$/);
      const r = o.record as { summary: string; statements: unknown[]; modelCheck: { failed: number } };
      assert.ok(r.summary.length > 0 && r.statements.length > 0, 'the summary was dropped');
      assert.ok(r.modelCheck.failed > 0);
    });

    it('a summary that fails outright records nothing of it and sends no check', async () => {
      sim.setFault({ kind: 'server-error-500' });
      const o = await (await job({ verify: 'rules+model' }).prepare('cxr.txt', note()))(signal());
      assert.equal(o.ok, false);
      assert.match(String(o.error), /HTTP 500/);
      assert.equal(sim.requests.filter((q) => q.path.endsWith('/chat/completions')).length, 1, 'a check was sent for a summary that failed');
      assert.deepEqual(o.record, {});
    });

    it('a stop while summarizing is a cancellation, not a failure', async () => {
      sim.setOptions({ tokensPerSecond: 50 });
      const ac = new AbortController();
      const run = (await job().prepare('cxr.txt', note()))(ac.signal);
      await new Promise((r) => setTimeout(r, 300));
      ac.abort();
      const o = await run;
      assert.deepEqual([o.ok, o.cancelled], [false, true]);
    });

    it('a server error mid-summary keeps the text so far with the error', async () => {
      sim.setFault({ kind: 'disconnect-mid-stream', afterChunks: 20 });
      const o = await (await job().prepare('cxr.txt', note()))(signal());
      assert.equal(o.ok, false);
      assert.match(String(o.error), /interrupted|stopped|connection/i);
      assert.ok(((o.record as { summary?: string }).summary ?? '').length > 0, 'the partial summary was dropped');
    });
  });

  describe('describeJob', () => {
    const job = (over: Partial<Parameters<typeof describeJob>[1]> = {}) => describeJob(client(), { model: 'medgemma', maxTokens: 300, temperature: 0, ...over });

    it('a radiograph: one PNG, the preset question for its kind; the record says what was sent', async () => {
      const j = job();
      assert.deepEqual([j.fields, j.noun, j.prepareSlots], [{ kind: null, prompt: null, model: 'medgemma' }, 'image', 1]);
      const o = await (await j.prepare('nih-cxr14-00000001_000.png', fs.readFileSync(fixture('images', 'nih-cxr14-00000001_000.png'))))(signal());
      assert.equal(o.ok, true, String(o.error));
      const r = o.record as { detectedKind: string; frames: number; frame: number; warnings: string[]; sentPrompt: string; answer: string; finishReason: string };
      assert.deepEqual([r.frames, r.frame, r.warnings, r.finishReason], [1, 1, [], 'stop']);
      assert.ok(r.answer.length > 0);
      const parts = sim.requests.at(-1)!.body.messages.flatMap((m: { content: unknown }) => (Array.isArray(m.content) ? m.content : []));
      assert.equal(parts.filter((p: { type: string }) => p.type === 'image_url').length, 1);
      assert.ok(parts.some((p: { type: string; text?: string }) => p.type === 'text' && p.text === r.sentPrompt));
    });

    it('a DICOM with burned-in annotation is warned about in its record; a given kind and question are used', async () => {
      const o = await (await job({ kind: 'ct', prompt: 'Any fracture?' }).prepare('burned.dcm', makeDicom({ width: 16, height: 16, burnedIn: 'YES' })))(signal());
      const r = o.record as { detectedKind: string; warnings: string[]; sentPrompt: string };
      assert.equal(r.detectedKind, 'ct');
      assert.equal(r.sentPrompt, 'Any fracture?');
      assert.ok(r.warnings.some((w) => /burned-in annotation \(0028,0301 = YES\)/.test(w)), JSON.stringify(r.warnings));
    });

    it('an answer cut at the token limit fails with what to do, the answer kept; bytes that are no image fail in prepare', async () => {
      const o = await (await job({ maxTokens: 5 }).prepare('cxr.png', fs.readFileSync(fixture('images', 'nih-cxr14-00000001_000.png'))))(signal());
      assert.equal(o.ok, false);
      assert.match(String(o.error), /the answer was cut at the token limit; raise --max-tokens/);
      assert.ok(((o.record as { answer: string }).answer ?? '').length > 0);
      await assert.rejects(job().prepare('notes.png', Buffer.from('this is text, not a PNG')));
    });
  });

  describe('serverQueue', () => {
    it("vLLM: the requests waiting now, from /metrics", async () => {
      sim.setOptions({ maxRunning: 1, tokensPerSecond: 20 });
      const c = client();
      assert.equal(await serverQueue(c), 0);
      const ask = () => c.chat({ messages: [{ role: 'user', content: 'L1: Cough for three days.' }], maxTokens: 200, temperature: 0 }).catch(() => undefined);
      const running = [ask(), ask(), ask()];
      let seen = 0;
      for (let i = 0; i < 40 && seen < 2; i++) {
        seen = Math.max(seen, (await serverQueue(c)) ?? 0);
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(seen, 2, 'one runs, two wait');
      sim.setOptions({ tokensPerSecond: 0 });
      await Promise.all(running);
    });

    it('null when the server does not tell (Ollama, a Vertex endpoint), undefined when it cannot be read now', async () => {
      await sim.stop();
      sim = await startSim({ profile: 'ollama' });
      assert.equal(await serverQueue(client()), null);
      await sim.stop();
      sim = await startSim({ vertex: VERTEX });
      assert.equal(await serverQueue(client({ tokenCommand: 'echo unused' })), null);
      assert.equal(sim.requests.length, 0, 'a Vertex endpoint is not asked');
      await sim.stop();
      sim = await startSim();
      const c = client();
      await sim.stop(); // down after the client was made: no answer this time
      assert.equal(await serverQueue(c), undefined);
    });
  });
});
