// Every feature over a Vertex AI endpoint (the simulator's Vertex profile) whose access tokens
// expire after two requests, so each feature meets a refused token in the middle of its work:
// a long note summarized in parts with the model check, a chat conversation, a question over a
// real paper, a question about a real radiograph, the privacy gate. Each ends as it does on
// vLLM, every refused request is sent once more with a new token, and nothing else fails.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildPrompt, SYSTEM_PROMPT } from '../../../src/core/chat/prompt';
import { askAboutImage } from '../../../src/core/images/ask';
import { openImage } from '../../../src/core/images/open';
import { findTemplate } from '../../../src/core/notes/templates';
import { summarizeNote } from '../../../src/core/notes/summarize';
import { askPapers } from '../../../src/core/papers/ask';
import { PaperLibrary } from '../../../src/core/papers/library';
import { readPdf } from '../../../src/core/papers/pdf-read';
import { PrivacyScope } from '../../../src/core/privacy/gate';
import { makeConfig } from '../../../src/core/server/config';
import { apiKeyCredentials } from '../../../src/core/server/credentials';
import { MedGemmaClient } from '../../../src/core/server/service';
import { fixture } from '../../fixtures';
import { startSim, type Sim } from '../../sim';
import { tmpDir } from '../papers/make-pdf';
import { bearers, simTokenCommand, tokensUsed, VERTEX } from '../../sim/vertex-access';

describe('a Vertex AI endpoint serves every feature, its tokens expiring mid-run', function () {
  this.timeout(120_000);
  let sim: Sim;
  const client = (over: Parameters<typeof makeConfig>[0] = {}) =>
    new MedGemmaClient(makeConfig({ baseUrl: sim.baseUrl, tokenCommand: simTokenCommand(sim), contextLength: 8192, privacy: 'off', ...over }), apiKeyCredentials(() => undefined));

  before(async () => {
    sim = await startSim({ maxModelLen: 16_384, maxImages: 4, vertex: { ...VERTEX, tokenUses: 2 } });
  });
  after(() => sim?.stop());
  beforeEach(() => {
    sim.requests.length = 0;
    sim.setOptions({ vertex: { ...VERTEX, tokenUses: 2 } });
  });

  /**
   * Every request refused (401) was sent again with another token and answered; nothing else
   * failed; tokens did run out during the feature's work.
   */
  function assertTokensRenewed(): void {
    const rs = sim.requests;
    assert.deepEqual([...new Set(rs.map((r) => r.status))].filter((s) => s !== 200 && s !== 401), [], 'a request failed for another reason');
    const refused = rs.map((r, i) => ({ r, i })).filter(({ r }) => r.status === 401);
    assert.ok(refused.length >= 1, 'no token expired during the run');
    for (const { r, i } of refused) {
      const body = JSON.stringify(r.body);
      const again = rs.slice(i + 1).find((x) => JSON.stringify(x.body) === body);
      assert.ok(again, `refused request #${i} was not sent again`);
      assert.equal(again.status, 200);
      assert.notEqual(again.headers.authorization, r.headers.authorization, 'sent again with the refused token');
    }
    assert.ok(bearers(sim).every((b) => /^Bearer ya29\.sim-/.test(b)), 'a request without the token');
  }

  it('a long note: summarized in parts, combined, every statement checked by the model', async () => {
    // The first week of a long ICU course: three parts and a combine step at this context. The
    // simulator's combine answer repeats every part's bullets, so it ends at the token limit.
    const all = fs.readFileSync(fixture('notes', 'icu-course-long.txt'), 'utf8');
    const text = all.slice(0, all.indexOf('\n', 60_000) + 1);
    // The model check sends 4 statements at once: a real token expires by time, so requests
    // sent again together with a new one all pass; the simulator's counts uses, so more than 4.
    sim.setOptions({ vertex: { ...VERTEX, tokenUses: 5 } });
    const r = await summarizeNote(client({ contextLength: 16_384 }), { text, template: findTemplate('brief')!, maxTokens: 2048, temperature: 0, verify: 'rules+model' });
    assert.ok(r.parts > 1, `${r.parts} part(s): the note was not split`);
    assert.ok(r.finishReason === 'stop' || r.finishReason === 'length', r.finishReason);
    assert.ok(r.modelCheck, 'no model check');
    assert.equal(r.modelCheck.failed, 0, JSON.stringify(r.modelCheck));
    assert.equal(r.modelCheck.unreadable, 0);
    assert.ok(r.modelCheck.checked > 0 && r.modelCheck.checked === r.modelCheck.requests, JSON.stringify(r.modelCheck));
    const supported = r.statements.filter((s) => s.supported).length;
    assert.ok(supported >= r.statements.length * 0.9, `${supported} of ${r.statements.length} statements supported`);
    const answered = sim.requests.filter((q) => q.status === 200).length;
    assert.equal(answered, r.parts + 1 + r.modelCheck.requests, 'parts, the combine step and one check per statement');
    assertTokensRenewed();
    assert.ok(tokensUsed(sim) >= Math.ceil(answered / 5), `${tokensUsed(sim)} tokens for ${answered} answers`);
  });

  it('a chat conversation: the history goes with each question, answers stream', async () => {
    const c = client();
    const turns: { role: 'user' | 'assistant'; text: string }[] = [];
    for (const q of ['What is the first-line treatment for type 2 diabetes?', 'And its most common side effect?', 'When should it be stopped before contrast imaging?']) {
      turns.push({ role: 'user', text: q });
      const prompt = buildPrompt(turns.map((t, i) => ({ id: String(i), at: i, ...t })), { contextLength: 8192, answerTokens: 512 });
      assert.ok(prompt.fits);
      let streamed = '';
      const r = await c.chat({ feature: 'chat', messages: [{ role: 'system', content: SYSTEM_PROMPT }, ...prompt.messages], maxTokens: 512, temperature: 0.2 }, { onDelta: (d) => (streamed += d) });
      assert.equal(r.finishReason, 'stop');
      assert.ok(r.text.length > 0 && streamed === r.text);
      turns.push({ role: 'assistant', text: r.text });
    }
    const last = sim.requests.filter((q) => q.status === 200).at(-1)!;
    assert.equal(last.body.messages.filter((m: { role: string }) => m.role === 'user').length, 3, 'the history went with the last question');
    assertTokensRenewed();
  });

  it('papers: a question over a real PDF is answered with its pages cited', async () => {
    const dir = tmpDir('medgemma-vertex-papers-');
    try {
      const lib = new PaperLibrary(path.join(dir, 'index'), { inProcess: readPdf });
      await lib.add([fixture('pdfs', 'tully2010-heart-failure-programmes.pdf')]);
      const c = client();
      // Three questions: the token runs out during the second.
      for (const q of ['What did heart failure patients say about the supervised exercise sessions?', 'Did self-care motivation last once the rehabilitation programme ended?', 'What are the barriers to adherence in heart failure?']) {
        const r = await askPapers(c, lib, q, { maxTokens: 512 });
        assert.ok(r.covered, `the paper does not cover "${q}"`);
        assert.equal(r.finishReason, 'stop');
        assert.ok(r.sources.length > 0 && r.answer.length > 0);
        assert.ok(r.cited.length > 0 && r.cited.every((c) => c.pageStart >= 1), `no page cited for "${q}"`);
      }
      assertTokensRenewed();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an image: a chest radiograph and a region of it, as pixels', async () => {
    const img = await openImage(fs.readFileSync(fixture('images', 'nih-cxr14-00000001_000.png')), 'cxr.png');
    const frame = await img.frame(0);
    const c = client();
    for (const region of [undefined, { x: 100, y: 100, w: 300, h: 300 }, undefined]) {
      const r = await askAboutImage(c, { frame, view: {}, region, system: 'You are an expert radiologist.', prompt: 'Describe this chest X-ray.' });
      assert.equal(r.finishReason, 'stop');
      assert.ok(r.images >= 1 && r.text.length > 0);
    }
    const sent = sim.requests.filter((q) => q.status === 200).map((q) => JSON.stringify(q.body.messages));
    assert.ok(sent.every((m) => m.includes('data:image/png;base64,')), 'an image did not go as a PNG data URL');
    assertTokensRenewed();
  });

  it('privacy auto: a Vertex endpoint is remote even on loopback; stand-ins go, the summary shows the real names', async () => {
    const text = fs.readFileSync(fixture('notes', 'deid-sample.txt'), 'utf8');
    const r = await summarizeNote(client({ privacy: 'auto' }), { text, template: findTemplate('brief')!, maxTokens: 2048, temperature: 0, privacy: new PrivacyScope() });
    assert.equal(r.finishReason, 'stop');
    const bodies = sim.requests.map((q) => JSON.stringify(q.body));
    for (const id of ['Vandersloot', '519-22-4078', '00728814']) {
      assert.ok(text.includes(id), `the fixture lost ${id}`);
      assert.ok(!bodies.some((b) => b.includes(id)), `${id} reached the endpoint`);
    }
    assert.match(r.summary, /Vandersloot/, 'the summary does not show the real name');
  });
});
