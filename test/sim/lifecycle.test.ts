import * as assert from 'node:assert/strict';
import { startSim, type Sim } from './index';
import { chat, userMessage } from './test-helpers';

const longAsk = { messages: userMessage('L1: ' + 'word '.repeat(300)), stream: true };

describe('sim: recording, early close and lifecycle', () => {
  let sim: Sim;
  beforeEach(async () => {
    sim = await startSim({ tokensPerSecond: 200 });
  });
  afterEach(() => sim.stop());

  it('records method, path, headers and parsed body of every request', async () => {
    await fetch(`${sim.baseUrl}/models`, { headers: { 'x-test': 'yes' } });
    await chat(sim, { messages: userMessage('hi'), max_tokens: 5 }).then((r) => r.text());
    assert.equal(sim.requests.length, 2);
    const [models, completion] = sim.requests;
    assert.deepEqual([models.method, models.path, models.headers['x-test'], models.body], ['GET', '/v1/models', 'yes', undefined]);
    assert.deepEqual([completion.method, completion.path, completion.status], ['POST', '/v1/chat/completions', 200]);
    assert.equal(completion.body.max_tokens, 5);
    assert.deepEqual(completion.body.messages, userMessage('hi'));
    assert.equal(completion.closedEarly, false);
    assert.equal(completion.done, true);
  });

  it('detects the client closing a stream early and stops generating for it', async () => {
    // How many chunks the whole answer has (sent fast), to compare the cut one against.
    sim.setOptions({ tokensPerSecond: 100_000 });
    await chat(sim, longAsk).then((r) => r.text());
    const whole = sim.requests.at(-1)!.contentChunks;
    assert.ok(whole >= 250, `the whole answer has ${whole} chunks`);
    sim.setOptions({ tokensPerSecond: 200 });
    const ac = new AbortController();
    const res = await chat(sim, longAsk, {}, ac.signal);
    const reader = res.body!.getReader();
    await reader.read(); // the first chunk or two
    const closed = sim.waitForClose();
    ac.abort();
    await closed;
    const r = sim.requests.at(-1)!;
    assert.equal(r.closedEarly, true);
    const sent = r.contentChunks;
    // At 200 chunks/s the whole answer takes over a second: stopping well short of it does not
    // depend on how quickly this machine noticed the close.
    assert.ok(sent < whole / 2, `sent ${sent} of ${whole} chunks before the close was seen`);
    await new Promise((resolve) => setTimeout(resolve, 100)); // 20 more tokens' worth at 200/s
    assert.equal(r.contentChunks, sent, 'kept generating after the client closed');
  });

  it('waitForClose waits for the next chat request when none is open', async () => {
    const waiting = sim.waitForClose(undefined, 3000);
    const ac = new AbortController();
    const res = await chat(sim, longAsk, {}, ac.signal);
    await res.body!.getReader().read();
    ac.abort();
    await waiting;
  });

  it('waitForClose rejects when the request finishes normally, and on timeout', async () => {
    await chat(sim, { messages: userMessage('hi') }).then((r) => r.text());
    await assert.rejects(sim.waitForClose(0), /ended without the client closing it early/);
    await assert.rejects(sim.waitForClose(undefined, 50), /timed out after 50 ms/);
  });

  it('detects a close during stall-before-headers', async () => {
    sim.setFault({ kind: 'stall-before-headers', ms: 5000 });
    const ac = new AbortController();
    const pending = chat(sim, { messages: userMessage('hi') }, {}, ac.signal).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    ac.abort();
    await sim.waitForClose();
    await pending;
    assert.equal(sim.requests.at(-1)?.status, undefined);
  });

  it('stop() refuses connections; restart() listens on the same port again', async () => {
    const port = sim.port;
    assert.equal((await fetch(`${sim.url}/health`)).status, 200);
    await sim.stop();
    await assert.rejects(fetch(`${sim.url}/health`), (e: any) => {
      assert.equal(e.cause?.code, 'ECONNREFUSED');
      return true;
    });
    await sim.restart();
    assert.equal(sim.port, port);
    assert.equal((await fetch(`${sim.url}/health`)).status, 200);
  });

  it('stop() cuts an open stream without calling it a client close', async () => {
    const res = await chat(sim, longAsk);
    await res.body!.getReader().read();
    await sim.stop();
    const r = sim.requests.at(-1)!;
    assert.equal(r.done, true);
    assert.equal(r.closedEarly, false);
  });

  it('lists requests (no bodies) and resets over HTTP', async () => {
    await chat(sim, { messages: userMessage('secret patient text') }).then((r) => r.text());
    const list = await (await fetch(`${sim.url}/__sim/requests`)).json();
    assert.deepEqual(list, [{ index: 0, method: 'POST', path: '/v1/chat/completions', status: 200, closedEarly: false, done: true, contentChunks: 5 }]);
    await fetch(`${sim.url}/__sim/options`, { method: 'POST', body: JSON.stringify({ apiKey: 'k' }) });
    assert.equal((await fetch(`${sim.baseUrl}/models`)).status, 401);
    await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
    assert.equal(sim.requests.length, 0);
  });
});
