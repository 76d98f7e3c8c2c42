// MedGemmaClient's own decisions, against the simulator: which endpoint a job uses, what it
// tells the front end after each request, when it counts tokens exactly, what an overflow
// says, how a restarted server's models are named, and the privacy gate's edges (an answer
// that ends in a stand-in, an audit log that cannot be written).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { auditFile } from '../../../src/core/privacy/audit';
import { makeConfig, type ServerConfig } from '../../../src/core/server/config';
import { noCredentials } from '../../../src/core/server/credentials';
import { isMedGemmaError, type MedGemmaError } from '../../../src/core/server/errors';
import { MedGemmaClient, type Outcome } from '../../../src/core/server/service';
import type { ChatMessage } from '../../../src/core/server/types';
import { startSim, type Sim } from '../../sim';

const ask = (text: string): ChatMessage[] => [{ role: 'user', content: text }];

async function failure(p: Promise<unknown>): Promise<MedGemmaError> {
  const e = await p.then(
    () => assert.fail('expected a failure'),
    (x: unknown) => x,
  );
  assert.ok(isMedGemmaError(e), String(e));
  return e;
}

describe('server/service', function () {
  this.timeout(30_000);
  let sim: Sim;
  beforeEach(async () => (sim = await startSim({ models: [{ id: 'medgemma', root: 'google/medgemma-4b-it' }, { id: 'medgemma-27b', root: 'google/medgemma-27b-text-it' }] })));
  afterEach(async () => sim.stop());
  const client = (over: Partial<ServerConfig> = {}) => new MedGemmaClient(makeConfig({ baseUrl: sim.baseUrl, ...over }), noCredentials);
  const chats = () => sim.requests.filter((q) => q.path === '/v1/chat/completions');

  it('a vision model on the same server is its own endpoint; the same model is the same endpoint', async () => {
    const same = client({ model: 'medgemma', vision: { model: 'medgemma' } });
    assert.equal(same.endpoint('vision'), same.endpoint('text'));
    const none = client({ model: 'medgemma' });
    assert.equal(none.endpoint('vision'), none.endpoint('text'));
    const other = client({ model: 'medgemma-27b', vision: { model: 'medgemma' } });
    assert.notEqual(other.endpoint('vision'), other.endpoint('text'));
    assert.equal((await other.model('vision')).id, 'medgemma');
    assert.equal((await other.model('text')).id, 'medgemma-27b');
    await other.chat({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }, { type: 'text', text: 'Describe.' }] }], maxTokens: 20, temperature: 0 });
    assert.equal(chats().at(-1)?.body.model, 'medgemma', 'an image question goes to the vision model');
  });

  it('tells the front end how each request ended', async () => {
    const c = client();
    const seen: Outcome[] = [];
    c.onOutcome = (o) => seen.push(o);
    await c.chat({ messages: ask('Hello'), maxTokens: 10, temperature: 0 });
    sim.setFault({ kind: 'server-error-500', count: 1 });
    await failure(c.chat({ messages: ask('Hello'), maxTokens: 10, temperature: 0 }));
    assert.deepEqual(seen, [{ ok: true }, { ok: false, kind: 'server-error' }]);
  });

  it('counts exactly only near the limit: far from it, no /tokenize round trip', async () => {
    await client().chat({ messages: ask('A short question.'), maxTokens: 100, temperature: 0 });
    assert.equal(sim.requests.filter((q) => q.path === '/tokenize').length, 0);
  });

  it('an overflow says how many tokens and of how many: "about" when estimated, exact when counted', async () => {
    const long = ask('word '.repeat(40_000));
    const exact = await failure(client().chat({ messages: long, maxTokens: 100, temperature: 0 }));
    assert.equal(exact.kind, 'context-overflow');
    assert.match(exact.message, /^The text is too long for the model's context \(\d+ tokens of 32768\)\. Select a shorter part, or serve the model with a larger --max-model-len\.$/);
    await sim.stop();
    sim = await startSim({ profile: 'ollama' });
    const estimated = await failure(client().chat({ messages: ask('word '.repeat(10_000)), maxTokens: 100, temperature: 0 }));
    assert.match(estimated.message, /^The text is too long for the model's context \(about \d+ tokens of 4096\)\./);
    assert.equal(chats().length, 0, 'nothing was sent');
  });

  it('a server restarted with other models: the error names what it serves now', async () => {
    const c = client({ model: 'medgemma' });
    await c.model('text');
    await sim.stop();
    const port = Number(new URL(sim.baseUrl).port);
    sim = await startSim({ port, models: [{ id: 'medgemma-1.5' }] });
    const e = await failure(c.chat({ messages: ask('Hello'), maxTokens: 10, temperature: 0 }));
    assert.equal(e.kind, 'unknown-model');
    assert.match(e.message, /^The server has no model "medgemma"\. It offers: medgemma-1\.5\./);
  });

  describe('the privacy gate', () => {
    it('an answer that ends in a stand-in: the held-back end still reaches the stream', async () => {
      const c = client({ privacy: 'pseudonymize' });
      let streamed = '';
      const r = await c.chat({ messages: ask('Patient: Eleanor Vandersloot'), maxTokens: 100, temperature: 0 }, { onDelta: (t) => (streamed += t) });
      assert.equal(r.text, 'Received: Patient: Eleanor Vandersloot');
      assert.equal(streamed, r.text);
      assert.ok(!JSON.stringify(chats().at(-1)?.body).includes('Vandersloot'));
    });

    it('a failure right after a stand-in: the partial text and the stream both end restored', async () => {
      sim.setFault({ kind: 'disconnect-mid-stream', afterChunks: 8 });
      const c = client({ privacy: 'pseudonymize' });
      let streamed = '';
      const e = await failure(c.chat({ messages: ask('Patient: Eleanor Vandersloot seen today'), maxTokens: 100, temperature: 0 }, { onDelta: (t) => (streamed += t) }));
      assert.equal(e.partial, streamed);
      assert.match(e.partial, /^Received: Patient: Eleanor/);
    });

    it('an audit log that cannot be written: nothing is sent, and the reason is named', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgemma-audit-'));
      try {
        const blocker = path.join(dir, 'file');
        fs.writeFileSync(blocker, '');
        const c = client();
        c.audit = auditFile(path.join(blocker, 'audit.jsonl'));
        const e = await failure(c.chat({ messages: ask('Hello'), maxTokens: 10, temperature: 0 }));
        assert.equal(e.kind, 'privacy');
        assert.match(e.message, /^The audit log could not be written \((EEXIST|ENOTDIR)\), so nothing was sent\. Check that its folder is writable\.$/);
        assert.equal(chats().length, 0);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
