import * as assert from 'node:assert/strict';
import { answerFor, countChatTokens, splitPieces, startSim, type Sim } from './index';
import { chat, readEvents, sseData, streamedText, userMessage } from './test-helpers';

describe('sim: chat completions (vLLM profile)', () => {
  let sim: Sim;
  before(async () => {
    sim = await startSim();
  });
  after(() => sim.stop());
  afterEach(() => sim.setOptions({ tokensPerSecond: 0, ttftMs: 0 }));

  const messages = [
    { role: 'system', content: 'You are a careful assistant.' },
    { role: 'user', content: 'Please say something short' },
  ];

  it('streams the exact vLLM chunk sequence, with usage only when asked', async () => {
    const res = await chat(sim, { messages, stream: true, stream_options: { include_usage: true }, max_tokens: 100 });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const raw = sseData(await res.text());
    const events = raw.map((d) => (d === '[DONE]' ? d : JSON.parse(d)));
    const { id, created, model } = events[0];
    assert.match(id, /^chatcmpl-[0-9a-f]{32}$/);
    assert.equal(model, 'medgemma');
    const head = { id, object: 'chat.completion.chunk', created, model };

    const pieces = splitPieces(answerFor('Please say something short'));
    assert.equal(raw.length, 1 + pieces.length + 1 + 1 + 1);
    // Key order as the doc shows it, byte for byte.
    assert.equal(raw[0], JSON.stringify({ ...head, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }] }));
    pieces.forEach((p, i) => {
      assert.equal(raw[1 + i], JSON.stringify({ ...head, choices: [{ index: 0, delta: { content: p }, logprobs: null, finish_reason: null }] }));
    });
    assert.equal(
      raw[1 + pieces.length],
      JSON.stringify({ ...head, choices: [{ index: 0, delta: { content: '' }, logprobs: null, finish_reason: 'stop', stop_reason: null }] }),
    );
    const prompt = countChatTokens(messages);
    assert.equal(
      raw[2 + pieces.length],
      JSON.stringify({ ...head, choices: [], usage: { prompt_tokens: prompt, total_tokens: prompt + pieces.length, completion_tokens: pieces.length } }),
    );
    assert.equal(raw[raw.length - 1], '[DONE]');
    assert.equal(streamedText(events), 'Received: Please say something short');
  });

  it('answers with the given text when answerText is set, one token per chunk', async () => {
    const given = '# Title\n\n<script>alert(1)</script> and ![x](http://example.invalid/a.png)';
    sim.setOptions({ answerText: given });
    try {
      const res = await chat(sim, { messages, stream: true, max_tokens: 1000 });
      assert.equal(streamedText(await readEvents(res)), given);
      assert.equal(sim.requests.at(-1)?.contentChunks, splitPieces(given).length);
    } finally {
      sim.setOptions({ answerText: undefined });
    }
    const again = await chat(sim, { messages, stream: true, max_tokens: 100 });
    assert.equal(streamedText(await readEvents(again)), answerFor('Please say something short'));
  });

  it('sends no usage chunk without include_usage', async () => {
    for (const extra of [{}, { stream_options: { include_usage: false } }]) {
      const events = await readEvents(await chat(sim, { messages, stream: true, ...extra }));
      assert.equal(events.at(-1), '[DONE]');
      assert.ok(events.slice(0, -1).every((e) => e.choices.length === 1 && e.usage === undefined));
      assert.equal(events.at(-2).choices[0].finish_reason, 'stop');
    }
  });

  it('answers without streaming with a chat.completion and usage', async () => {
    const res = await chat(sim, { messages, max_tokens: 50 });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json');
    const body = await res.json();
    assert.equal(body.object, 'chat.completion');
    assert.equal(body.choices[0].message.role, 'assistant');
    assert.equal(body.choices[0].message.content, 'Received: Please say something short');
    assert.equal(body.choices[0].finish_reason, 'stop');
    const completion = splitPieces(body.choices[0].message.content).length;
    assert.deepEqual(body.usage, {
      prompt_tokens: countChatTokens(messages),
      total_tokens: countChatTokens(messages) + completion,
      completion_tokens: completion,
      prompt_tokens_details: null,
    });
  });

  it('stops at max_tokens with finish_reason length (a 1-token ping)', async () => {
    const events = await readEvents(await chat(sim, { messages: userMessage('ping'), stream: true, max_tokens: 1 }));
    assert.equal(streamedText(events), 'Received');
    assert.equal(events.at(-2).choices[0].finish_reason, 'length');
    const body = await (await chat(sim, { messages: userMessage('ping'), max_tokens: 2 })).json();
    assert.equal(body.choices[0].message.content, 'Received:');
    assert.equal(body.choices[0].finish_reason, 'length');
    assert.equal(body.usage.completion_tokens, 2);
    // Exactly enough tokens: not cut.
    const full = await (await chat(sim, { messages: userMessage('ping'), max_tokens: 3 })).json();
    assert.equal(full.choices[0].message.content, 'Received: ping');
    assert.equal(full.choices[0].finish_reason, 'stop');
  });

  it('prefers max_completion_tokens over max_tokens', async () => {
    const body = await (await chat(sim, { messages, max_tokens: 100, max_completion_tokens: 2 })).json();
    assert.equal(body.usage.completion_tokens, 2);
  });

  it('cuts at a stop string and reports it as stop_reason', async () => {
    const body = await (await chat(sim, { messages: userMessage('alpha beta gamma'), stop: [' gamma', 'zzz'] })).json();
    assert.equal(body.choices[0].message.content, 'Received: alpha beta');
    assert.equal(body.choices[0].finish_reason, 'stop');
    assert.equal(body.choices[0].stop_reason, ' gamma');
  });

  it('rejects stream_options without stream:true (400)', async () => {
    const res = await chat(sim, { messages, stream_options: { include_usage: true } });
    assert.equal(res.status, 400);
    const body = await res.json();
    assert.equal(body.error.type, 'BadRequestError');
    assert.equal(body.error.code, 400);
    assert.match(body.error.message, /stream=True/);
  });

  it('folds a system message and enforces user/assistant alternation', async () => {
    const ok = [
      { role: 'system', content: 'S' },
      { role: 'user', content: 'a' },
      { role: 'assistant', content: 'b' },
      { role: 'user', content: 'c' },
    ];
    assert.equal((await chat(sim, { messages: ok })).status, 200);
    const bad = [
      [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }],
      [{ role: 'assistant', content: 'a' }, { role: 'user', content: 'b' }],
      [{ role: 'user', content: 'a' }, { role: 'system', content: 'late system' }, { role: 'user', content: 'b' }],
      [{ role: 'system', content: 'S' }, { role: 'system', content: 'S2' }, { role: 'user', content: 'b' }],
    ];
    for (const m of bad) {
      const res = await chat(sim, { messages: m });
      assert.equal(res.status, 400, JSON.stringify(m.map((x) => x.role)));
      assert.deepEqual(await res.json(), {
        error: { message: 'Conversation roles must alternate user/assistant/user/assistant/...', type: 'BadRequestError', param: null, code: 400 },
      });
    }
  });

  it('answers from the last user message, ignoring the system text', async () => {
    const body = await (
      await chat(sim, {
        messages: [
          { role: 'system', content: 'L1: not a note line' },
          { role: 'user', content: [{ type: 'text', text: 'first' }] },
          { role: 'assistant', content: 'x' },
          { role: 'user', content: [{ type: 'text', text: 'second question here' }] },
        ],
      })
    ).json();
    assert.equal(body.choices[0].message.content, 'Received: second question here');
  });

  it('waits ttftMs before the first chunk and paces chunks by tokensPerSecond', async () => {
    // Headers at once, then nothing until the prefill is over. The prefill is long (1.5 s) so
    // that "headers before it ended" holds on a loaded machine; the other bounds are lower
    // bounds, which load cannot break.
    sim.setOptions({ ttftMs: 1500, tokensPerSecond: 100 });
    const t0 = Date.now();
    const res = await chat(sim, { messages: userMessage('one two three four five six seven eight nine ten'), stream: true });
    const headersAt = Date.now() - t0;
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    let firstAt = 0;
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      firstAt ||= Date.now() - t0;
      text += decoder.decode(r.value, { stream: true });
    }
    const total = Date.now() - t0;
    const events = sseData(text);
    const contentChunks = events.filter((e) => e.startsWith('{') && JSON.parse(e).choices[0]?.delta?.content).length;
    assert.ok(contentChunks >= 10, `${contentChunks} content chunks`);
    assert.ok(headersAt < 1500, `headers should come before the prefill ends, came after ${headersAt} ms`);
    assert.ok(firstAt >= 1495, `the first chunk came ${firstAt} ms after the request, before ttftMs`);
    // 1500 ms prefill + (n-1) gaps of 10 ms
    assert.ok(total >= 1500 + (contentChunks - 1) * 10 - 5, `too fast: ${total} ms for ${contentChunks} chunks`);
  });

  it('keeps id and created constant and numbers completions deterministically', async () => {
    const a = await readEvents(await chat(sim, { messages, stream: true }));
    const b = await readEvents(await chat(sim, { messages, stream: true }));
    const ids = (ev: any[]) => new Set(ev.filter((e) => e !== '[DONE]').map((e) => `${e.id}/${e.created}`));
    assert.equal(ids(a).size, 1);
    assert.equal(ids(b).size, 1);
    assert.notEqual([...ids(a)][0].split('/')[0], [...ids(b)][0].split('/')[0]);
    assert.equal(streamedText(a), streamedText(b));
  });
});
