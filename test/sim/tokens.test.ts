import * as assert from 'node:assert/strict';
import {
  BOS_TOKENS,
  countChatTokens,
  countPromptTokens,
  countTextTokens,
  GENERATION_PROMPT_TOKENS,
  IMAGE_TOKENS,
  splitPieces,
  startSim,
  TURN_TOKENS,
  type Sim,
} from './index';

describe('sim: tokenizer and /tokenize', () => {
  let sim: Sim;
  before(async () => {
    sim = await startSim({ maxModelLen: 8192 });
  });
  after(() => sim.stop());

  const post = async (path: string, body: unknown): Promise<{ status: number; json: any }> => {
    const res = await fetch(sim.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, json: await res.json() };
  };

  it('splits words and single punctuation marks, each with its leading whitespace', () => {
    assert.deepEqual(splitPieces('No pneumothorax.  BP 120/80\n- ok '), ['No', ' pneumothorax', '.', '  BP', ' 120', '/', '80', '\n-', ' ok', ' ']);
    for (const t of ['', 'x', ' lead', 'a\n\nb', 'über 5°C, ok?', 'end  \n']) assert.equal(splitPieces(t).join(''), t);
    assert.equal(countTextTokens('Hello, world!'), 4);
  });

  it('counts the chat template, folded system text and 256 tokens per image', () => {
    const one = [{ role: 'user', content: 'Hello, world!' }];
    assert.equal(countChatTokens(one), BOS_TOKENS + TURN_TOKENS + 4 + GENERATION_PROMPT_TOKENS);
    assert.equal(countChatTokens(one, false), BOS_TOKENS + TURN_TOKENS + 4);
    const withSystem = [{ role: 'system', content: 'Be brief.' }, ...one];
    assert.equal(countChatTokens(withSystem), countChatTokens(one) + 3);
    const image = [
      {
        role: 'user',
        content: [
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
          { type: 'text', text: 'Describe this X-ray' },
        ],
      },
    ];
    assert.equal(countChatTokens(image), BOS_TOKENS + TURN_TOKENS + IMAGE_TOKENS + 5 + GENERATION_PROMPT_TOKENS); // Describe this X - ray
  });

  it('/tokenize {prompt} counts what countPromptTokens says', async () => {
    const text = 'Right lower lobe consolidation, compatible with pneumonia.';
    const { status, json } = await post('/tokenize', { model: 'medgemma', prompt: text });
    assert.equal(status, 200);
    assert.deepEqual(Object.keys(json), ['count', 'max_model_len', 'tokens', 'token_strs']);
    assert.equal(json.count, countPromptTokens(text));
    assert.equal(json.tokens.length, json.count);
    assert.equal(json.max_model_len, 8192);
    assert.equal(json.token_strs, null);
    const bare = await post('/tokenize', { model: 'medgemma', prompt: text, add_special_tokens: false });
    assert.equal(bare.json.count, countPromptTokens(text, false));
  });

  it('/tokenize {messages} counts what countChatTokens says, and checks roles', async () => {
    const messages = [
      { role: 'system', content: 'You are an expert radiologist.' },
      { role: 'user', content: 'L1: No pneumothorax.\nL2: Small effusion.' },
    ];
    const { json } = await post('/tokenize', { model: 'medgemma', messages, add_generation_prompt: true });
    assert.equal(json.count, countChatTokens(messages));
    const noGen = await post('/tokenize', { model: 'medgemma', messages, add_generation_prompt: false });
    assert.equal(noGen.json.count, countChatTokens(messages, false));
    const bad = await post('/tokenize', { model: 'medgemma', messages: [{ role: 'assistant', content: 'x' }] });
    assert.equal(bad.status, 400);
    assert.match(bad.json.error.message, /Conversation roles must alternate/);
  });

  it('/tokenize answers 404 for an unknown model', async () => {
    const { status, json } = await post('/tokenize', { model: 'nope', prompt: 'x' });
    assert.equal(status, 404);
    assert.equal(json.error.message, 'The model `nope` does not exist.');
  });

  it('/detokenize gives the text back', async () => {
    const text = 'Small right pleural effusion; no pneumothorax.';
    const { json } = await post('/tokenize', { model: 'medgemma', prompt: text, add_special_tokens: false, return_token_strs: true });
    assert.deepEqual(json.token_strs, splitPieces(text));
    const back = await post('/detokenize', { model: 'medgemma', tokens: json.tokens });
    assert.deepEqual(back.json, { prompt: text });
  });
});
