// The official client (already a dependency) must read the simulator like a real vLLM.
import * as assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startSim, type Sim } from './index';

describe('sim: read by the openai SDK', () => {
  let sim: Sim;
  let client: OpenAI;
  before(async () => {
    sim = await startSim({ apiKey: 'k' });
    client = new OpenAI({ baseURL: sim.baseUrl, apiKey: 'k', maxRetries: 0 });
  });
  after(() => sim.stop());
  afterEach(() => sim.setFault(undefined));

  it('streams text, finish_reason and usage', async () => {
    const stream = await client.chat.completions.create({
      model: 'medgemma',
      messages: [{ role: 'user', content: 'L7: No pneumothorax.' }],
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0,
    });
    let text = '';
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    assert.equal(text, '### Pertinent negatives\n- No pneumothorax [L7]');
    assert.equal(finish, 'stop');
    assert.ok(usage && usage.completion_tokens > 0);
  });

  it('maps error statuses to its error classes', async () => {
    await assert.rejects(client.chat.completions.create({ model: 'foo', messages: [{ role: 'user', content: 'x' }] }), OpenAI.NotFoundError);
    sim.setFault({ kind: 'rate-limit' });
    await assert.rejects(client.chat.completions.create({ model: 'medgemma', messages: [{ role: 'user', content: 'x' }] }), OpenAI.RateLimitError);
    const wrongKey = new OpenAI({ baseURL: sim.baseUrl, apiKey: 'nope', maxRetries: 0 });
    await assert.rejects(wrongKey.models.list(), OpenAI.AuthenticationError);
  });

  it('aborting the SDK request closes the connection', async () => {
    sim.setOptions({ tokensPerSecond: 100 });
    const ac = new AbortController();
    const stream = await client.chat.completions.create(
      { model: 'medgemma', messages: [{ role: 'user', content: 'L1: ' + 'word '.repeat(200) }], stream: true },
      { signal: ac.signal },
    );
    const closed = sim.waitForClose();
    let chunks = 0;
    try {
      for await (const _chunk of stream) {
        chunks += 1;
        ac.abort();
      }
    } catch (e) {
      assert.ok(e instanceof OpenAI.APIUserAbortError, String(e));
    }
    await closed;
    assert.ok(chunks <= 2);
    assert.ok(sim.requests.at(-1)!.contentChunks < 20);
    sim.setOptions({ tokensPerSecond: 0 });
  });
});
