// Every route but chat, per profile. A handler returns false when the profile lacks the route.

import { handleEmbeddings } from './embeddings-route';
import { ApiError } from './errors';
import type { Exchange } from './exchange';
import { DEFAULT_MODELS, defaultVersion, isVllm, llamacppProps, modelsBody, pickModel } from './profiles';
import type { SimState } from './state';
import { applyGemmaTemplate, isObject } from './template';
import { chatTokenIds, detokenize, idPieces, textTokenIds } from './tokens';

type Handler = (ex: Exchange, state: SimState) => void;

/** `METHOD path` -> handler, for the profile in force. */
export function routeFor(state: SimState, method: string, path: string): Handler | undefined {
  const p = state.profile;
  const key = `${method} ${path}`;
  if (key === 'GET /v1/models' || (p === 'llamacpp' && key === 'GET /models')) return models;
  if (key === 'POST /v1/embeddings') return handleEmbeddings; // vLLM, Ollama and llama.cpp alike
  if (isVllm(p)) {
    switch (key) {
      case 'POST /tokenize':
        return tokenize;
      case 'POST /detokenize':
        return detokenizeRoute;
      case 'GET /health':
        return (ex) => ex.send(200, undefined, '');
      case 'GET /version':
        return (ex, s) => ex.json(200, { version: s.opts.version ?? defaultVersion(s.profile) });
      case 'GET /metrics':
        return metrics;
      case 'POST /v1/load_lora_adapter':
        return state.opts.runtimeLora ? loadLora : undefined;
    }
  } else if (p === 'ollama') {
    switch (key) {
      case 'GET /':
        return (ex) => ex.send(200, 'text/plain; charset=utf-8', 'Ollama is running');
      case 'GET /api/version':
        return (ex, s) => ex.json(200, { version: s.opts.version ?? defaultVersion(s.profile) });
    }
  } else {
    switch (key) {
      case 'GET /health':
      case 'GET /v1/health':
        return (ex) => ex.json(200, { status: 'ok' });
      case 'GET /props':
        return (ex, s) => ex.json(200, llamacppProps(s.models[0]));
      case 'POST /tokenize':
        return llamacppTokenize;
    }
  }
  return undefined;
}

/** vLLM's runtime LoRA loading: {lora_name, lora_path} -> a plain-text success, or a flat ErrorResponse. */
function loadLora(ex: Exchange, s: SimState): void {
  const body: unknown = ex.record.body;
  const fail = (code: number, type: string, message: string) => ex.json(code, { object: 'error', message, type, param: null, code });
  if (!isObject(body) || typeof body.lora_name !== 'string' || typeof body.lora_path !== 'string' || !body.lora_name || !body.lora_path) {
    return fail(400, 'InvalidUserInput', "Both 'lora_name' and 'lora_path' must be provided.");
  }
  if (s.models.some((m) => m.id === body.lora_name)) return fail(400, 'InvalidUserInput', `The lora adapter '${body.lora_name}' has already been loaded.`);
  if (body.lora_path.startsWith('/missing')) return fail(404, 'NotFoundError', `No adapter found for ${body.lora_path}`);
  const base = s.models.find((m) => m.parent === null) ?? s.models[0];
  const listed = [...(s.opts.models ?? DEFAULT_MODELS)];
  listed.push({ id: body.lora_name, root: body.lora_path, parent: base.id });
  s.update({ models: listed });
  ex.send(200, 'application/json', JSON.stringify(`Success: LoRA adapter '${body.lora_name}' added successfully.`));
}

function models(ex: Exchange, s: SimState): void {
  ex.json(200, modelsBody(s.profile, s.models));
}

/** vLLM: {model, prompt} or {model, messages, add_generation_prompt} -> {count, max_model_len, tokens, token_strs}. */
function tokenize(ex: Exchange, s: SimState): void {
  const body: unknown = ex.record.body;
  if (!isObject(body)) throw new ApiError(400, 'The request body must be a JSON object.');
  const model = pickModel(s.profile, s.models, body.model);
  let tokens: number[];
  if (typeof body.prompt === 'string') {
    tokens = textTokenIds(body.prompt, body.add_special_tokens !== false);
  } else if (body.messages !== undefined) {
    tokens = chatTokenIds(applyGemmaTemplate(body.messages), body.add_generation_prompt !== false);
  } else {
    throw new ApiError(400, 'Either `prompt` or `messages` is required.');
  }
  ex.json(200, {
    count: tokens.length,
    max_model_len: model.maxModelLen,
    tokens,
    token_strs: body.return_token_strs === true ? idPieces(tokens) : null,
  });
}

function detokenizeRoute(ex: Exchange, s: SimState): void {
  const body: unknown = ex.record.body;
  if (!isObject(body) || !Array.isArray(body.tokens) || !body.tokens.every((t) => Number.isInteger(t))) {
    throw new ApiError(400, '`tokens` must be a list of integers.');
  }
  pickModel(s.profile, s.models, body.model);
  ex.json(200, { prompt: detokenize(body.tokens as number[]) });
}

/** llama.cpp: {content} -> {tokens}; anything else gives an empty list (as the real one). */
function llamacppTokenize(ex: Exchange): void {
  const body: unknown = ex.record.body;
  if (!isObject(body) || typeof body.content !== 'string') return ex.json(200, { tokens: [] });
  ex.json(200, { tokens: textTokenIds(body.content, body.add_special === true) });
}

function metrics(ex: Exchange, s: SimState): void {
  const labels = `{engine="0",model_name="${s.models[0]?.id ?? ''}"}`;
  const line = (name: string, type: string, help: string, value: number): string =>
    `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${name}${labels} ${value.toFixed(1)}\n`;
  const text =
    line('vllm:num_requests_running', 'gauge', 'Number of requests in model execution batches.', s.stats.running) +
    line('vllm:num_requests_waiting', 'gauge', 'Number of requests waiting to be processed.', s.stats.waiting) +
    line('vllm:kv_cache_usage_perc', 'gauge', 'KV-cache usage. 1 means 100 percent usage.', 0) +
    line('vllm:prompt_tokens_total', 'counter', 'Number of prefill tokens processed.', s.stats.promptTokens) +
    line('vllm:generation_tokens_total', 'counter', 'Number of generation tokens processed.', s.stats.generationTokens) +
    line('vllm:request_success_total', 'counter', 'Count of successfully processed requests.', s.stats.success);
  ex.send(200, 'text/plain; version=0.0.4; charset=utf-8', text);
}
