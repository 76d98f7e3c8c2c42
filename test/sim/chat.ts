// POST /v1/chat/completions: validate like the real server, build the deterministic answer,
// then send it whole or as a paced stream, with the mid-stream faults.

import { answerFor, obeyedLinks, withThinking } from './answers';
import { demoAnswer } from './demo';
import { ApiError, contextLengthMessage } from './errors';
import { nextTick, type Exchange } from './exchange';
import { DEFAULT_AFTER_CHUNKS, DEFAULT_STALL_MS, MID_STREAM_FAULTS } from './faults';
import { isVllm, notChatModel, pickModel, type ResolvedModel } from './profiles';
import {
  completionBody,
  contentChunk,
  DONE_EVENT,
  ENGINE_ERROR,
  finishChunk,
  FLAT_ERROR_EVENT,
  MALFORMED_EVENT,
  NESTED_ERROR_EVENT,
  roleChunk,
  sseEvent,
  usageChunk,
  type CompletionMeta,
  type Finish,
} from './sse';
import type { SimState } from './state';
import { applyGemmaTemplate, imageUrls, isObject, readContent, readMessages } from './template';
import { chatTokenIds, splitPieces } from './tokens';
import type { ContextWording, Fault, SimProfile } from './types';
import { isRerankPrompt, rerankAnswer } from './scorer';
import { isVerifyPrompt, readResponseFormat, verifyAnswer } from './verifier';

interface Plan {
  meta: CompletionMeta;
  pieces: string[];
  finish: Finish;
  stopReason: string | null;
  promptTokens: number;
  includeUsage: boolean;
}

export async function handleChat(ex: Exchange, state: SimState, fault: Fault | undefined): Promise<void> {
  const body: unknown = ex.record.body;
  if (!isObject(body)) throw new ApiError(400, 'The request body must be a JSON object.');
  const plan = planAnswer(body, state, fault);
  if (!(await admitted(ex, state))) return;
  state.stats.running += 1;
  try {
    if (body.stream === true) await stream(ex, state, plan, fault);
    else await whole(ex, state, plan, fault);
  } finally {
    state.stats.running -= 1;
  }
  if (ex.record.status !== 200) return;
  state.stats.promptTokens += plan.promptTokens;
  state.stats.generationTokens += ex.record.contentChunks;
  if (!ex.record.closedEarly) state.stats.success += 1;
}

/** Waits while maxRunning requests generate (vLLM's scheduler queue); false when the client left. */
async function admitted(ex: Exchange, state: SimState): Promise<boolean> {
  const full = () => state.opts.maxRunning !== undefined && state.stats.running >= state.opts.maxRunning;
  if (!full()) return true;
  state.stats.waiting += 1;
  try {
    while (full()) if (!(await ex.sleep(2))) return false;
    return true;
  } finally {
    state.stats.waiting -= 1;
  }
}


/** What the model "writes": a verdict, passage scores, the test's fixed text, or an answer to the prompt. */
function answerText(state: SimState, userText: string, structured: boolean, images: number, flipNegation: boolean): string {
  if (isVerifyPrompt(userText)) return state.opts.verdictText ?? verifyAnswer(userText, structured);
  if (state.opts.answerText !== undefined) return state.opts.answerText;
  if (isRerankPrompt(userText)) return rerankAnswer(userText, structured);
  return state.opts.demo ? demoAnswer(userText, images) : answerFor(userText, { flipNegation, images });
}

/** Everything decided before the headers: validation, context budget, the answer's tokens. */
function planAnswer(body: Record<string, unknown>, state: SimState, fault: Fault | undefined): Plan {
  const profile = state.profile;
  if (isVllm(profile) && isTruthy(body.stream_options) && body.stream !== true) {
    throw new ApiError(400, 'Stream options can only be defined when `stream=True`.');
  }
  const model = pickModel(profile, state.models, body.model);
  if (model.embeddingDims !== null) throw notChatModel(profile, model.id);
  const messages = readMessages(body.messages);
  const turns = applyGemmaTemplate(messages, profile !== 'ollama');
  checkImages(profile, model, messages, turns.reduce((n, t) => n + t.images, 0));

  const L = model.maxModelLen;
  const p = chatTokenIds(turns).length;
  const requested = maxTokensOf(body);
  if (fault?.kind === 'context-overflow') throw contextError(profile, fault.wording ?? 1, L, p, requested ?? 0);
  let budget: number;
  let promptTokens = p;
  if (profile === 'llamacpp') {
    if (p >= L) throw contextError(profile, 1, L, p, requested ?? 0);
    budget = Math.min(requested ?? Infinity, L - p);
  } else if (profile === 'ollama') {
    promptTokens = Math.min(p, L); // Ollama silently drops the start of a prompt that does not fit
    budget = requested ?? Infinity;
  } else {
    const over = requested !== undefined ? p + requested > L : p >= L;
    if (over) throw contextError(profile, state.opts.contextWording ?? (requested !== undefined ? 1 : 2), L, p, requested ?? 0);
    budget = requested ?? L - p;
  }

  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  const content = lastUser ? readContent(lastUser.content) : { texts: [], images: 0 };
  const userText = content.texts.join('\n');
  const structured = readResponseFormat(body, state.opts.structuredOutput !== false);
  let text = answerText(state, userText, structured, content.images, fault?.kind === 'flip-negation' || !!model.flipNegation);
  if (state.opts.obeyInstructions && state.opts.answerText === undefined) text += obeyedLinks(userText);
  if (fault?.kind === 'thinking') text = withThinking(text);

  let finish: Finish = 'stop';
  let stopReason: string | null = null;
  const stop = firstStop(text, body.stop);
  if (stop) {
    text = text.slice(0, stop.index);
    stopReason = stop.value;
  }
  let pieces = splitPieces(text);
  if (pieces.length > budget) {
    pieces = pieces.slice(0, budget);
    finish = 'length';
    stopReason = null;
  }
  if (fault?.kind === 'finish-length') {
    pieces = pieces.slice(0, fault.afterChunks ?? DEFAULT_AFTER_CHUNKS);
    finish = 'length';
    stopReason = null;
  }
  const so = body.stream_options;
  return {
    meta: {
      id: state.nextCompletionId(),
      created: Math.floor(Date.now() / 1000),
      model: typeof body.model === 'string' && body.model ? body.model : model.id,
      profile,
    },
    pieces,
    finish,
    stopReason,
    promptTokens,
    includeUsage: isObject(so) && so.include_usage === true,
  };
}

function checkImages(profile: SimProfile, model: ResolvedModel, messages: unknown[], images: number): void {
  if (images === 0) return;
  if (profile === 'llamacpp') throw new ApiError(500, 'image input is not supported');
  if (profile === 'ollama') {
    if (imageUrls(messages).some((u) => !u.startsWith('data:'))) throw new ApiError(400, 'invalid image input');
    return;
  }
  if (images > model.maxImages) throw new ApiError(400, `At most ${model.maxImages} image(s) may be provided in one prompt.`);
}

function contextError(profile: SimProfile, wording: ContextWording, L: number, p: number, m: number): ApiError {
  if (profile === 'llamacpp') {
    return new ApiError(400, 'the request exceeds the available context size, try increasing it', {
      type: 'exceed_context_size_error',
      extra: { n_prompt_tokens: p, n_ctx: L },
    });
  }
  return new ApiError(400, contextLengthMessage(wording, L, p, m));
}

/** max_completion_tokens wins over max_tokens (vLLM); undefined when neither is sent. */
function maxTokensOf(body: Record<string, unknown>): number | undefined {
  for (const key of ['max_completion_tokens', 'max_tokens'] as const) {
    const v = body[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new ApiError(400, `${key} must be an integer.`);
    if (v < 1) throw new ApiError(400, `max_tokens must be at least 1, got ${v}.`);
    return v;
  }
  return undefined;
}

function firstStop(text: string, stop: unknown): { index: number; value: string } | undefined {
  const list = typeof stop === 'string' ? [stop] : Array.isArray(stop) ? stop.filter((s): s is string => typeof s === 'string' && s !== '') : [];
  let best: { index: number; value: string } | undefined;
  for (const s of list) {
    const i = text.indexOf(s);
    if (i >= 0 && (!best || i < best.index)) best = { index: i, value: s };
  }
  return best;
}

function isTruthy(v: unknown): boolean {
  if (isObject(v)) return Object.keys(v).length > 0;
  return Boolean(v);
}

function paceMs(state: SimState): number {
  const tps = state.opts.tokensPerSecond ?? 0;
  return tps > 0 ? 1000 / tps : 0;
}

async function whole(ex: Exchange, state: SimState, plan: Plan, fault: Fault | undefined): Promise<void> {
  const kind = fault && MID_STREAM_FAULTS.includes(fault.kind) ? fault.kind : undefined;
  let wait = (state.opts.ttftMs ?? 0) + plan.pieces.length * paceMs(state);
  if (kind === 'stall-mid-stream') wait += fault?.ms ?? DEFAULT_STALL_MS;
  if (wait > 0 && !(await ex.sleep(wait))) return;
  switch (kind) {
    case 'disconnect-mid-stream':
      return ex.cut();
    case 'error-event-nested':
      return ex.json(500, { error: ENGINE_ERROR });
    case 'error-event-flat':
      return ex.json(500, { object: 'error', ...ENGINE_ERROR });
    case 'malformed-chunk':
      return ex.send(200, 'application/json', '{"id": broken');
  }
  ex.record.contentChunks = plan.pieces.length;
  const usage = { prompt: plan.promptTokens, completion: plan.pieces.length };
  ex.json(200, completionBody(plan.meta, plan.pieces.join(''), plan.finish, usage, plan.stopReason));
}

async function stream(ex: Exchange, state: SimState, plan: Plan, fault: Fault | undefined): Promise<void> {
  const { meta, pieces } = plan;
  const kind = fault && MID_STREAM_FAULTS.includes(fault.kind) && fault.kind !== 'finish-length' ? fault.kind : undefined;
  const faultAt = Math.min(fault?.afterChunks ?? DEFAULT_AFTER_CHUNKS, pieces.length);
  ex.startStream();
  const ttft = state.opts.ttftMs ?? 0;
  if (ttft > 0 && !(await ex.sleep(ttft))) return;
  const role = roleChunk(meta);
  if (role && !(await ex.write(sseEvent(role)))) return;

  const pace = paceMs(state);
  let t0 = Date.now();
  for (let i = 0; i <= pieces.length; i++) {
    if (kind && i === faultAt) {
      switch (kind) {
        case 'stall-mid-stream': {
          const ms = fault?.ms ?? DEFAULT_STALL_MS;
          if (!(await ex.sleep(ms))) return;
          t0 += ms;
          break;
        }
        case 'disconnect-mid-stream':
          return ex.cut();
        case 'error-event-nested':
        case 'error-event-flat':
          await ex.write(kind === 'error-event-nested' ? NESTED_ERROR_EVENT : FLAT_ERROR_EVENT);
          await ex.write(DONE_EVENT);
          return ex.end();
        case 'malformed-chunk':
          if (!(await ex.write(MALFORMED_EVENT))) return;
          break;
      }
    }
    if (i === pieces.length) break;
    const due = t0 + i * pace - Date.now();
    if (due > 0) {
      if (!(await ex.sleep(due))) return;
    } else {
      await nextTick(); // lets a client's close be seen between fast chunks
    }
    if (!(await ex.write(sseEvent(contentChunk(meta, pieces[i]))))) return;
    ex.record.contentChunks += 1;
  }
  if (!(await ex.write(sseEvent(finishChunk(meta, plan.finish, plan.stopReason))))) return;
  if (plan.includeUsage) {
    if (!(await ex.write(sseEvent(usageChunk(meta, { prompt: plan.promptTokens, completion: ex.record.contentChunks }))))) return;
  }
  if (!(await ex.write(DONE_EVENT))) return;
  ex.end();
}
