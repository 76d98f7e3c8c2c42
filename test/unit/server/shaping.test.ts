import * as assert from 'node:assert/strict';
import { APIError } from 'openai';
import { normalizeBaseUrl } from '../../../src/core/server/config';
import { visionFromName } from '../../../src/core/server/discovery';
import { normalizeErrorBody } from '../../../src/core/server/http';
import { CONTEXT_RE, mapError } from '../../../src/core/server/map-error';
import { shapeMessages } from '../../../src/core/server/messages';
import { estimateTokens } from '../../../src/core/server/budget';
import { ThoughtFilter } from '../../../src/core/server/thinking';

describe('normalizeBaseUrl', () => {
  it('adds /v1 when missing and says what it used', () => {
    assert.deepEqual(normalizeBaseUrl('http://gpu:8000'), { url: 'http://gpu:8000/v1', root: 'http://gpu:8000', note: 'Using http://gpu:8000/v1' });
    assert.equal(normalizeBaseUrl('localhost:11434').url, 'http://localhost:11434/v1');
  });
  it('keeps /v1 and strips a pasted /chat/completions', () => {
    assert.deepEqual(normalizeBaseUrl('http://gpu:8000/v1/'), { url: 'http://gpu:8000/v1', root: 'http://gpu:8000', note: undefined });
    assert.equal(normalizeBaseUrl('https://h/v1/chat/completions').url, 'https://h/v1');
  });
  it('leaves a Vertex AI endpoint path alone', () => {
    const v = 'https://us-central1-aiplatform.googleapis.com/v1beta1/projects/p/locations/us-central1/endpoints/123';
    assert.equal(normalizeBaseUrl(v).url, v);
  });
  it('rejects what is not an http(s) URL with a readable message', () => {
    assert.throws(() => normalizeBaseUrl('ftp://x'), /not a valid http\(s\) URL/);
    assert.throws(() => normalizeBaseUrl('  '), /not a valid/);
  });
});

describe('shapeMessages (Gemma chat template rules)', () => {
  it('folds system text into the first user turn', () => {
    const out = shapeMessages([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
    ]);
    assert.deepEqual(out, [{ role: 'user', content: 'Be brief.\n\nHi' }]);
  });
  it('merges same-role neighbours so roles strictly alternate, starting with user', () => {
    const out = shapeMessages([
      { role: 'assistant', content: 'Hello' },
      { role: 'user', content: 'a' },
      { role: 'user', content: 'b' },
      { role: 'assistant', content: 'c' },
      { role: 'system', content: 'S' },
    ]);
    assert.deepEqual(out.map((m) => m.role), ['user', 'assistant', 'user', 'assistant']);
    assert.equal(out[0].content, 'S');
    assert.equal(out[2].content, 'a\n\nb');
  });
  it('keeps images when merging parts', () => {
    const img = { type: 'image_url' as const, image_url: { url: 'data:image/png;base64,AA' } };
    const out = shapeMessages([
      { role: 'system', content: 'You are an expert radiologist.' },
      { role: 'user', content: [{ type: 'text', text: 'Describe this X-ray' }, img] },
    ]);
    assert.deepEqual(out[0].content, [{ type: 'text', text: 'You are an expert radiologist.\n\nDescribe this X-ray' }, img]);
  });
});

describe('error bodies', () => {
  it('reduces every dialect to {error:{message}}', () => {
    assert.equal(normalizeErrorBody({ object: 'error', message: 'old', type: 'BadRequestError', code: 400 })?.error.message, 'old');
    assert.equal(normalizeErrorBody({ error: { message: 'new', type: 'BadRequestError' } })?.error.message, 'new');
    assert.equal(normalizeErrorBody({ error: 'Unauthorized' })?.error.message, 'Unauthorized');
    assert.equal(normalizeErrorBody('x'), undefined);
  });
  it('recognizes all four context-length wordings', () => {
    for (const m of [
      "This model's maximum context length is 8192 tokens. However, you requested 9064 tokens (9000 in the messages, 64 in the completion).",
      "'max_tokens' or 'max_completion_tokens' is too large: 64. This model's maximum context length is 8192 tokens",
      "You passed 9000 input tokens and requested 64 output tokens. However, the model's context length is only 8192 tokens",
      "This model's maximum context length is 8192 tokens. However, your request has 9000 input tokens.",
    ]) assert.match(m, CONTEXT_RE);
  });
  it('maps statuses to kinds with what-to-do messages', () => {
    const gen = (status: number, message: string) => APIError.generate(status, { error: { message } }, undefined, new Headers());
    const ctx = { baseUrl: 'http://h/v1', model: 'foo', availableModels: ['medgemma'] };
    assert.equal(mapError(gen(401, 'Unauthorized'), ctx).kind, 'unauthorized');
    const unknown = mapError(gen(404, 'The model `foo` does not exist.'), ctx);
    assert.equal(unknown.kind, 'unknown-model');
    assert.match(unknown.message, /offers: medgemma/);
    assert.equal(mapError(gen(400, "This model's maximum context length is 8192 tokens."), ctx).kind, 'context-overflow');
    assert.equal(mapError(gen(400, 'At most 1 image(s) may be provided in one prompt.'), ctx).kind, 'image-limit');
    assert.equal(mapError(gen(400, 'At most 0 image(s) may be provided in one prompt.'), ctx).kind, 'not-image-capable');
    assert.equal(mapError(gen(400, 'Conversation roles must alternate user/assistant/user/assistant/...'), ctx).kind, 'role-order');
    assert.equal(mapError(gen(429, 'slow down'), ctx).kind, 'rate-limited');
    assert.equal(mapError(gen(500, 'boom'), ctx).kind, 'server-error');
    assert.equal(mapError(gen(500, 'image input is not supported'), ctx).kind, 'not-image-capable');
  });
});

describe('model facts', () => {
  it('tells image support from MedGemma names', () => {
    assert.equal(visionFromName('google/medgemma-27b-text-it'), false);
    assert.equal(visionFromName('google/medgemma-4b-it'), true);
    assert.equal(visionFromName('google/medgemma-1.5-4b-it'), true);
    assert.equal(visionFromName('my-finetune'), undefined);
  });
  it('estimates more tokens than chars/4 (which undercounts Gemma)', () => {
    const text = 'Pt c/o SOB, BNP 1,240 pg/mL; furosemide 40 mg IV BID. '.repeat(40);
    assert.ok(estimateTokens([{ role: 'user', content: text }]) > text.length / 4 * 1.18);
  });
});

describe('thinking-mode answers (MedGemma 27B)', () => {
  const run = (pieces: string[]) => {
    const f = new ThoughtFilter();
    const shown = pieces.map((p) => f.push(p)).join('') + f.flush();
    return { shown, thought: f.thought };
  };
  it('shows only the answer, even when the markers are split across chunks', () => {
    const r = run(['<unu', 'sed94>thought\nLet me', ' think.<unused', '95>The answer', ' [L3].']);
    assert.equal(r.shown, 'The answer [L3].');
    assert.equal(r.thought, 'Let me think.');
  });
  it('passes ordinary answers through untouched, including a leading "<"', () => {
    assert.equal(run(['<', '5 mm nodule', ' [L2]']).shown, '<5 mm nodule [L2]');
    assert.equal(run(['Plain']).shown, 'Plain');
  });
});
