// Offline engines: the request lines prepare writes, the output lines collect reads (vLLM's,
// and an engine that echoes the request), and the ChatService that replays a summary over
// those answers, recording what is still needed.
import * as assert from 'node:assert/strict';
import { parseOutputLine, requestLine } from '../../../src/core/batch/engine-format';
import { NotYetAnswered, OfflineChat, requestId, type EngineAnswer } from '../../../src/core/batch/offline-chat';
import { isMedGemmaError } from '../../../src/core/server/errors';

const body = { model: 'medgemma', messages: [{ role: 'user' as const, content: 'L1: Chest pain.' }], max_tokens: 100, temperature: 0 };
const completion = (content: unknown, finish = 'stop') => ({
  id: 'c',
  object: 'chat.completion',
  choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finish }],
  usage: { prompt_tokens: 10, completion_tokens: 4, total_tokens: 14 },
});

describe('batch/offline: engine formats', () => {
  it('request lines: OpenAI batch for vLLM, a bare body without the model for Vertex', () => {
    assert.deepEqual(requestLine('openai', 'medgemma-1', body), { custom_id: 'medgemma-1', method: 'POST', url: '/v1/chat/completions', body });
    const { model: _m, ...noModel } = body;
    assert.deepEqual(requestLine('vertex', 'medgemma-1', body), { custom_id: 'medgemma-1', body: noModel });
  });

  it('requestId hashes what decides the answer, not the model name', () => {
    const id = requestId(body);
    assert.match(id, /^medgemma-[0-9a-f]{40}$/);
    assert.equal(requestId({ ...body, model: '' }), id);
    assert.notEqual(requestId({ ...body, max_tokens: 101 }), id);
    assert.notEqual(requestId({ ...body, temperature: 0.5 }), id);
    assert.notEqual(requestId({ ...body, messages: [{ role: 'user', content: 'L1: Chest pain!' }] }), id);
    assert.notEqual(requestId({ ...body, response_format: { type: 'json_schema', json_schema: { name: 'v', schema: {}, strict: true } } }), id);
  });

  it("vLLM output lines: the answer, a cut answer, usage; failures in the engine's words", () => {
    const line = (o: object) => JSON.stringify({ id: 'vllm-0', custom_id: 'medgemma-abc', ...o });
    assert.deepEqual(parseOutputLine(line({ response: { status_code: 200, request_id: 'r', body: completion('Summary [L1]') }, error: null })), [
      'medgemma-abc',
      { text: 'Summary [L1]', finishReason: 'stop', usage: { promptTokens: 10, completionTokens: 4, totalTokens: 14 } },
    ]);
    assert.equal((parseOutputLine(line({ response: { status_code: 200, body: completion('cut', 'length') }, error: null }))![1] as { finishReason: string }).finishReason, 'length');
    const failures: [object, string][] = [
      [{ response: { status_code: 400, body: null }, error: { error: { message: 'too long' } } }, 'too long'],
      [{ response: { status_code: 500, body: { error: { message: 'engine died' } } }, error: null }, 'HTTP 500: engine died'],
      [{ error: 'out of memory' }, 'out of memory'],
      [{ error: null }, 'the output line has no response'],
      [{ response: { status_code: 200, body: { choices: [] } }, error: null }, 'the response has no answer text'],
      [{ response: { status_code: 200, body: completion(42) }, error: null }, 'the response has no answer text'],
    ];
    for (const [o, words] of failures) assert.deepEqual(parseOutputLine(line(o)), ['medgemma-abc', { error: words }], JSON.stringify(o));
  });

  it('an engine that echoes the request is matched by the request; lines that are not ours are undefined', () => {
    const { model: _m, ...vertexBody } = body;
    assert.deepEqual(parseOutputLine(JSON.stringify({ body: vertexBody, response: completion('ok') }))?.[0], requestId(body));
    assert.deepEqual(parseOutputLine(JSON.stringify({ request: vertexBody, response: completion('ok') }))?.[0], requestId(body));
    assert.deepEqual(parseOutputLine(JSON.stringify({ instance: { body: vertexBody }, response: completion('ok') }))?.[0], requestId(body));
    for (const l of ['not json', '[1]', 'null', '{"custom_id":"someone-else","response":{}}', '{"body":{"messages":"x"}}']) assert.equal(parseOutputLine(l), undefined, l);
  });
});

describe('batch/offline: OfflineChat', () => {
  const req = { messages: [{ role: 'user' as const, content: 'L1: Chest pain.' }], maxTokens: 100, temperature: 0 };
  const bodyOf = (chat: OfflineChat) => [...chat.pending.values()][0];

  it('a request without an answer is recorded and answered with a placeholder; a request carrying it waits', async () => {
    const chat = new OfflineChat(new Map(), { model: 'medgemma', contextLength: 8192 });
    const r = await chat.chat(req);
    assert.equal(chat.pending.size, 1);
    const [id, sent] = [...chat.pending][0];
    assert.equal(id, requestId(sent));
    assert.deepEqual([sent.model, sent.max_tokens, sent.temperature], ['medgemma', 100, 0]);
    assert.equal(chat.waiting, false);
    await assert.rejects(chat.chat({ ...req, messages: [{ role: 'user', content: `Combine:\n${r.text}` }] }), (e: unknown) => e instanceof NotYetAnswered);
    assert.equal(chat.waiting, true);
    assert.equal(chat.pending.size, 1, 'the waiting request is not recorded');
  });

  it('an answer comes back as the server would give it (thoughts removed), streamed once; an engine error is a server error', async () => {
    const probe = new OfflineChat(new Map(), { model: 'medgemma', contextLength: 8192 });
    await probe.chat(req);
    const id = [...probe.pending.keys()][0];
    const answers = new Map<string, EngineAnswer>([[id, { text: '<unused94>thought\nhmm<unused95>Chest pain [L1]', finishReason: 'length', usage: { promptTokens: 9, completionTokens: 5, totalTokens: 14 } }]]);
    const chat = new OfflineChat(answers, { model: 'medgemma', contextLength: 8192 });
    const deltas: string[] = [];
    const r = await chat.chat(req, { onDelta: (t) => deltas.push(t) });
    assert.deepEqual([r.text, r.finishReason, r.usage?.completionTokens, r.model, r.maxTokens], ['Chest pain [L1]', 'length', 5, 'medgemma', 100]);
    assert.deepEqual(deltas, ['Chest pain [L1]']);
    assert.equal(chat.pending.size, 0);
    const failing = new OfflineChat(new Map([[id, { error: 'CUDA out of memory' }]]), { model: 'medgemma', contextLength: 8192 });
    const e = await failing.chat(req).then(() => assert.fail('answered'), (x: unknown) => x);
    assert.ok(isMedGemmaError(e));
    assert.equal(e.kind, 'server-error');
    assert.equal(e.message, 'The batch engine failed this request (CUDA out of memory). Run the requests again, or summarize the note online.');
    assert.ok(bodyOf(probe));
  });

  it('budgets like the online road: the estimate, max_tokens capped to the context, overflow refused', async () => {
    const chat = new OfflineChat(new Map(), { model: 'm', contextLength: 1024 });
    assert.equal(await chat.contextLength(), 1024);
    const count = await chat.countTokens(req.messages);
    assert.equal(count.exact, false);
    assert.ok(count.tokens > 5);
    await chat.chat({ ...req, maxTokens: 5000 });
    const capped = bodyOf(chat).max_tokens;
    assert.ok(capped < 1024 && capped > 16, String(capped));
    const long = { ...req, messages: [{ role: 'user' as const, content: 'word '.repeat(3000) }] };
    await assert.rejects(chat.chat(long), (e: unknown) => isMedGemmaError(e) && e.kind === 'context-overflow');
  });
});
