import * as assert from 'node:assert/strict';
import { DEFAULT_EMBEDDING_DIMS, embedText, HUGE_EMBEDDING_DIMS, MAX_EMBEDDING_INPUTS, startSim, type EmbeddingFault, type Sim, type SimModel, type SimProfile } from './index';
import { countPromptTokens } from './tokens';
import { chat, userMessage } from './test-helpers';

const MODELS: SimModel[] = [{ id: 'medgemma', root: 'google/medgemma-4b-it' }, { id: 'embed', root: 'google/embeddinggemma-300m', embedding: {} }];

function embed(sim: Sim, body: unknown): Promise<Response> {
  return fetch(`${sim.baseUrl}/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function vectors(sim: Sim, input: string | string[], model = 'embed'): Promise<number[][]> {
  const res = await embed(sim, { model, input, encoding_format: 'float' });
  assert.equal(res.status, 200);
  return ((await res.json()) as { data: { embedding: number[] }[] }).data.map((d) => d.embedding);
}

const dot = (a: number[], b: number[]): number => a.reduce((s, x, i) => s + x * b[i], 0);
const norm = (a: number[]): number => Math.sqrt(dot(a, a));

describe('sim: embeddings', () => {
  let sim: Sim;
  before(async () => {
    sim = await startSim({ models: MODELS });
  });
  after(() => sim.stop());
  afterEach(() => sim.setOptions({ embeddingFault: undefined, models: MODELS, maxModelLen: undefined, profile: 'vllm' }));

  describe('answers', () => {
    it('the OpenAI shape (vLLM adds id and created), one vector per input in input order, usage from the tokenizer', async () => {
      const input = ['Chest pain on exertion.', 'No fever.', ''];
      const res = await embed(sim, { model: 'embed', input, encoding_format: 'float' });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      const body = await res.json();
      assert.deepEqual(Object.keys(body), ['id', 'object', 'created', 'model', 'data', 'usage']);
      assert.match(body.id, /^embd-[0-9a-f]{32}$/);
      assert.equal(body.object, 'list');
      assert.equal(body.model, 'embed');
      assert.deepEqual(
        body.data.map((d: { object: string; index: number }) => [d.object, d.index]),
        [
          ['embedding', 0],
          ['embedding', 1],
          ['embedding', 2],
        ],
      );
      body.data.forEach((d: { embedding: number[] }, i: number) => assert.deepEqual(d.embedding, embedText(input[i])));
      const tokens = input.reduce((n, t) => n + countPromptTokens(t), 0);
      assert.deepEqual(body.usage, { prompt_tokens: tokens, total_tokens: tokens, completion_tokens: 0, prompt_tokens_details: null });
    });

    it('a single string is one input; vectors have the model dims (256 by default, or its own)', async () => {
      const [v] = await vectors(sim, 'hypertension');
      assert.equal(v.length, DEFAULT_EMBEDDING_DIMS);
      sim.setOptions({ models: [{ id: 'small', embedding: { dims: 8 } }] });
      const [w] = await vectors(sim, 'hypertension', 'small');
      assert.equal(w.length, 8);
    });

    it('is deterministic: same text, same vector, in any batch and position', async () => {
      const [a] = await vectors(sim, 'Metformin for type 2 diabetes');
      const [, b] = await vectors(sim, ['something else', 'Metformin for type 2 diabetes']);
      assert.deepEqual(a, b);
      assert.deepEqual(a, embedText('Metformin for type 2 diabetes'));
    });

    it('related texts have a higher cosine than unrelated ones; case, plural "s" and stop words do not matter', async () => {
      const [q, related, unrelated, variant] = await vectors(sim, [
        'metformin dose in renal impairment',
        'Renal impairment: reduce the metformin dose',
        'knee arthroscopy outcomes in athletes',
        'The METFORMIN doses in renal impairment',
      ]);
      assert.ok(dot(q, related) > 0.5, `related cosine ${dot(q, related)}`);
      assert.ok(dot(q, related) > dot(q, unrelated));
      assert.ok(Math.abs(dot(q, unrelated)) < 0.3, `unrelated cosine ${dot(q, unrelated)}`);
      assert.ok(Math.abs(dot(q, variant) - 1) < 1e-9);
    });

    it('every vector has unit norm; a text without words is the unit vector on slot 0, never NaN', async () => {
      const vs = await vectors(sim, ['a long sentence about heart failure with reduced ejection fraction', 'x', '', '  ...  ', 'the of and', 'ключ 肺炎 café']);
      for (const v of vs) {
        assert.ok(v.every((x) => Number.isFinite(x)));
        assert.ok(Math.abs(norm(v) - 1) < 1e-9);
      }
      for (const v of vs.slice(2, 5)) assert.deepEqual(v, [1, ...new Array(DEFAULT_EMBEDDING_DIMS - 1).fill(0)]);
      assert.notDeepEqual(vs[5], vs[2], 'non-Latin words count as words');
    });

    it('encoding_format base64: the same numbers as float32, little-endian', async () => {
      const res = await embed(sim, { model: 'embed', input: ['heart failure'], encoding_format: 'base64' });
      const b64 = (await res.json()).data[0].embedding as string;
      const buf = Buffer.from(b64, 'base64');
      const back = Array.from({ length: buf.length / 4 }, (_, i) => buf.readFloatLE(i * 4));
      const want = embedText('heart failure');
      assert.equal(back.length, want.length);
      back.forEach((x, i) => assert.ok(Math.abs(x - want[i]) < 1e-6));
    });

    it('with no model named, the first embedding model answers', async () => {
      const res = await embed(sim, { input: 'x' });
      assert.equal(res.status, 200);
      assert.equal((await res.json()).model, 'embed');
    });

    it('is recorded in sim.requests and an embedding model is listed by /v1/models', async () => {
      const before = sim.requests.length;
      await embed(sim, { model: 'embed', input: ['a'] });
      const r = sim.requests[before];
      assert.deepEqual([r.method, r.path, r.status, r.done], ['POST', '/v1/embeddings', 200, true]);
      assert.deepEqual(r.body, { model: 'embed', input: ['a'] });
      const models = await (await fetch(`${sim.baseUrl}/models`)).json();
      assert.deepEqual(
        models.data.map((m: { id: string }) => m.id),
        ['medgemma', 'embed'],
      );
    });
  });

  describe('errors (vLLM shape)', () => {
    const badRequest = async (body: unknown, message: RegExp): Promise<void> => {
      const res = await embed(sim, body);
      assert.equal(res.status, 400);
      const err = (await res.json()).error;
      assert.equal(err.type, 'BadRequestError');
      assert.equal(err.code, 400);
      assert.match(err.message, message);
    };

    it('a generative model: 400 The model does not support Embeddings API', async () => {
      const res = await embed(sim, { model: 'medgemma', input: ['x'] });
      assert.equal(res.status, 400);
      assert.deepEqual(await res.json(), { error: { message: 'The model does not support Embeddings API', type: 'BadRequestError', param: null, code: 400 } });
    });

    it('flat in the vllm-0.10 profile', async () => {
      sim.setOptions({ profile: 'vllm-0.10' });
      const res = await embed(sim, { model: 'medgemma', input: ['x'] });
      assert.deepEqual(await res.json(), { object: 'error', message: 'The model does not support Embeddings API', type: 'BadRequestError', param: null, code: 400 });
    });

    it('an unknown model: the 404 of the other routes', async () => {
      const res = await embed(sim, { model: 'nope', input: ['x'] });
      assert.equal(res.status, 404);
      assert.deepEqual(await res.json(), { error: { message: 'The model `nope` does not exist.', type: 'NotFoundError', param: null, code: 404 } });
    });

    it('input missing, not strings, an empty list, more than 2,048 texts; a bad encoding_format; not an object', async () => {
      await badRequest({ model: 'embed' }, /`input` must be a string or a list of strings/);
      await badRequest({ model: 'embed', input: [1, 2, 3] }, /`input` must be a string or a list of strings/);
      await badRequest({ model: 'embed', input: ['a', null] }, /`input` must be a string or a list of strings/);
      await badRequest({ model: 'embed', input: { text: 'a' } }, /`input` must be a string or a list of strings/);
      await badRequest({ model: 'embed', input: [] }, /must not be an empty list/);
      await badRequest({ model: 'embed', input: new Array(MAX_EMBEDDING_INPUTS + 1).fill('a') }, /at most 2048 texts; got 2049/);
      assert.equal((await embed(sim, { model: 'embed', input: new Array(MAX_EMBEDDING_INPUTS).fill('a') })).status, 200);
      await badRequest({ model: 'embed', input: 'a', encoding_format: 'int8' }, /encoding_format/);
      await badRequest('just text', /JSON object/);
    });

    it('an input longer than the context: 400 in the context-length wording', async () => {
      sim.setOptions({ maxModelLen: 10 });
      await badRequest({ model: 'embed', input: ['short', new Array(20).fill('w').join(' ')] }, /maximum context length is 10 tokens\. However, you requested 21 tokens in the input for embedding generation/);
    });

    it('chat completions to an embedding model: 400 The model does not support Chat Completions API', async () => {
      const res = await chat(sim, { model: 'embed', messages: userMessage('hi') });
      assert.equal(res.status, 400);
      assert.deepEqual(await res.json(), { error: { message: 'The model does not support Chat Completions API', type: 'BadRequestError', param: null, code: 400 } });
      assert.equal((await chat(sim, { model: 'medgemma', messages: userMessage('hi') })).status, 200);
    });

    it('a bad embeddingFault or dims is refused by setOptions and POST /__sim/options', async () => {
      assert.throws(() => sim.setOptions({ embeddingFault: 'bogus' as EmbeddingFault }), /unknown embeddingFault "bogus"/);
      assert.throws(() => sim.setOptions({ models: [{ id: 'e', embedding: { dims: 0 } }] }), /embedding\.dims/);
      const res = await fetch(`${sim.url}/__sim/options`, { method: 'POST', body: JSON.stringify({ embeddingFault: 'bogus' }) });
      assert.equal(res.status, 400);
    });
  });

  describe('embeddingFault', () => {
    const three = ['chest pain', 'no fever', 'family history of diabetes'];
    const answer = async (fault: EmbeddingFault, input: string[] = three): Promise<{ res: Response; text: string }> => {
      sim.setOptions({ embeddingFault: fault });
      const res = await embed(sim, { model: 'embed', input });
      return { res, text: await res.text() };
    };

    it('wrong-count: one vector fewer than inputs', async () => {
      const { res, text } = await answer('wrong-count');
      assert.equal(res.status, 200);
      const body = JSON.parse(text);
      assert.equal(body.data.length, 2);
      assert.deepEqual(body.data[1].embedding, embedText(three[1]));
    });

    it('nan: a NaN in the last vector, sent as null', async () => {
      const body = JSON.parse((await answer('nan')).text);
      assert.equal(body.data.length, 3);
      const last: unknown[] = body.data[2].embedding;
      assert.equal(last.length, DEFAULT_EMBEDDING_DIMS);
      assert.deepEqual(
        last.flatMap((x, i) => (typeof x === 'number' ? [] : [[i, x]])),
        [[DEFAULT_EMBEDDING_DIMS / 2, null]],
      );
      assert.deepEqual(body.data[0].embedding, embedText(three[0]));
    });

    it('ragged: the last vector one number short', async () => {
      const body = JSON.parse((await answer('ragged')).text);
      assert.deepEqual(
        body.data.map((d: { embedding: number[] }) => d.embedding.length),
        [DEFAULT_EMBEDDING_DIMS, DEFAULT_EMBEDDING_DIMS, DEFAULT_EMBEDDING_DIMS - 1],
      );
    });

    it('huge-dims: vectors of 100,000 numbers', async () => {
      const { res, text } = await answer('huge-dims', ['chest pain', 'no fever']);
      const body = JSON.parse(text);
      assert.deepEqual(
        body.data.map((d: { embedding: number[] }) => d.embedding.length),
        [HUGE_EMBEDDING_DIMS, HUGE_EMBEDDING_DIMS],
      );
      assert.equal(Number(res.headers.get('content-length')), Buffer.byteLength(text));
    });

    it('not-json: 200 with an HTML page', async () => {
      const { res, text } = await answer('not-json');
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(text, /^<!DOCTYPE html>/);
      assert.throws(() => JSON.parse(text));
    });

    it('errors stay errors, chat is untouched, and setting it back to null (as over HTTP) ends it', async () => {
      sim.setOptions({ embeddingFault: 'not-json' });
      assert.equal((await embed(sim, { model: 'medgemma', input: ['x'] })).status, 400);
      assert.equal((await chat(sim, { messages: userMessage('hi') })).status, 200);
      const set = await fetch(`${sim.url}/__sim/options`, { method: 'POST', body: JSON.stringify({ embeddingFault: null }) });
      assert.equal(set.status, 200);
      assert.equal((await embed(sim, { model: 'embed', input: ['x'] })).status, 200);
    });

    it('is settable over HTTP: POST /__sim/options {"embeddingFault": ...}', async () => {
      await fetch(`${sim.url}/__sim/options`, { method: 'POST', body: JSON.stringify({ embeddingFault: 'wrong-count' }) });
      const body = await (await embed(sim, { model: 'embed', input: ['a', 'b'] })).json();
      assert.equal(body.data.length, 1);
    });
  });
});

describe('sim: embeddings in the Ollama and llama.cpp profiles', () => {
  const sims: Partial<Record<SimProfile, Sim>> = {};
  before(async () => {
    for (const profile of ['ollama', 'llamacpp'] as const) sims[profile] = await startSim({ profile, models: MODELS, maxModelLen: 10 });
  });
  after(async () => {
    for (const s of Object.values(sims)) await s?.stop();
  });
  const sim = (p: SimProfile): Sim => sims[p] as Sim;

  for (const profile of ['ollama', 'llamacpp'] as const) {
    it(`${profile}: the OpenAI shape without id and created, the same vectors`, async () => {
      const res = await embed(sim(profile), { model: 'embed', input: ['chest pain', 'fever'] });
      assert.equal(res.status, 200);
      const body = await res.json();
      assert.deepEqual(Object.keys(body), ['object', 'data', 'model', 'usage']);
      assert.deepEqual(body.data[1], { object: 'embedding', index: 1, embedding: embedText('fever') });
      const tokens = countPromptTokens('chest pain') + countPromptTokens('fever');
      assert.deepEqual(body.usage, { prompt_tokens: tokens, total_tokens: tokens });
    });
  }

  it('Ollama: 501 for a generative model, 404 for an unknown one, 400 without a model, 400 for chat to the embedding model', async () => {
    const s = sim('ollama');
    let res = await embed(s, { model: 'medgemma', input: ['x'] });
    assert.equal(res.status, 501);
    assert.deepEqual(await res.json(), { error: { message: 'this model does not support embeddings', type: 'api_error', param: null, code: null } });
    res = await embed(s, { model: 'nope', input: ['x'] });
    assert.equal(res.status, 404);
    assert.match((await res.json()).error.message, /model "nope" not found/);
    res = await embed(s, { input: ['x'] });
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error.message, 'model is required');
    res = await chat(s, { model: 'embed', messages: userMessage('hi') });
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error.message, '"embed" does not support chat');
  });

  it('Ollama truncates an over-long input (usage counts the context length)', async () => {
    const body = await (await embed(sim('ollama'), { model: 'embed', input: ['w '.repeat(20)] })).json();
    assert.equal(body.usage.prompt_tokens, 10);
  });

  it('llama.cpp: 501 not_supported_error for a server without --embeddings and for chat on one with it; 500 for an over-long input', async () => {
    const s = sim('llamacpp');
    let res = await embed(s, { model: 'medgemma', input: ['x'] });
    assert.equal(res.status, 501);
    assert.deepEqual(await res.json(), { error: { code: 501, message: 'This server does not support embeddings. Start it with `--embeddings`', type: 'not_supported_error' } });
    res = await chat(s, { model: 'embed', messages: userMessage('hi') });
    assert.equal(res.status, 501);
    assert.match((await res.json()).error.message, /does not support completions/);
    res = await embed(s, { model: 'embed', input: ['w '.repeat(20)] });
    assert.equal(res.status, 500);
    assert.match((await res.json()).error.message, /input is too large/);
  });

  it('llama.cpp /v1/models gives an embedding model its dims as n_embd', async () => {
    const body = await (await fetch(`${sim('llamacpp').baseUrl}/models`)).json();
    assert.deepEqual(
      body.data.map((m: { meta: { n_embd: number } }) => m.meta.n_embd),
      [2560, DEFAULT_EMBEDDING_DIMS],
    );
  });

  it('the embeddingFault works in these profiles too', async () => {
    const s = sim('llamacpp');
    s.setOptions({ embeddingFault: 'ragged' });
    try {
      const body = await (await embed(s, { model: 'embed', input: ['a', 'b'] })).json();
      assert.deepEqual(
        body.data.map((d: { embedding: number[] }) => d.embedding.length),
        [DEFAULT_EMBEDDING_DIMS, DEFAULT_EMBEDDING_DIMS - 1],
      );
    } finally {
      s.setOptions({ embeddingFault: undefined });
    }
  });
});
