// askPapers: retrieve chunks, fit the best into the context budget, number them [S1]…[Sn],
// stream an answer that must cite them, then check the citations. When retrieval finds
// nothing relevant the model is not called. Used by the editor command, the CLI and (later)
// the chat.

import type { ChatMessage, ChatService, FinishReason, StreamOptions } from '../server/types';
import { checkAnswer, type AnswerCheck } from './answer-check';
import type { PaperLibrary } from './library';
import { shortLabel } from './meta';
import { PrivacyScope } from '../privacy/gate';
import type { DenseIndex } from './dense/dense-index';
import { retrieve, type Retrieval } from './dense/hybrid';
import { RERANK_POOL, rerankPassages, type RerankCost } from './rerank';
import type { SearchHit } from './types';

export interface AskOptions extends StreamOptions {
  /** How many chunks to retrieve before budgeting. */
  k?: number;
  maxTokens?: number;
  temperature?: number;
  /** Only these papers. */
  paperIds?: string[];
  /** Search by meaning too (an embedding model is set), fused with the words index. */
  dense?: DenseIndex;
  /** The question's privacy scope (its embedding request passes the gate as the answer's does). */
  privacy?: PrivacyScope;
  /** MedGemma scores the passages found before answering (rerank.ts): one request more. */
  rerank?: boolean;
}

export interface Citation {
  key: string;
  paperId: string;
  file: string;
  title: string;
  /** "Tully 2010" */
  label: string;
  pageStart: number;
  pageEnd: number;
  chunkId: string;
  text: string;
}

export interface AskResult {
  answer: string;
  /** Every source given to the model, in [S1]… order. */
  sources: Citation[];
  /** The sources the answer cites. */
  cited: Citation[];
  check: AnswerCheck;
  /** false: the attached papers do not seem to cover the question; the model was not called. */
  covered: boolean;
  finishReason?: FinishReason;
  model?: string;
  /** How the passages were found; denseFailure: why search by meaning was skipped this time. */
  retrieval: Omit<Retrieval, 'hits' | 'covered'>;
  /** What the scoring step did and cost, when it ran. */
  rerank?: RerankCost;
}

export const NOT_COVERED = 'The attached papers do not seem to cover this question: no passage matched enough of its words. Rephrase it with terms the papers would use, or attach papers on this topic.';

export const SYSTEM_PROMPT = `You answer questions about research papers using ONLY the numbered sources below.
Rules:
- After every sentence, cite the source(s) it comes from as [S1] or [S1, S3]. Never cite a source that is not listed.
- Quote numbers exactly as the source gives them.
- If the sources do not answer the question, say so plainly; do not use outside knowledge.
- Be concise: a short paragraph or a few bullet points.`;

/** Tokens kept back for the chat template, the question and rounding. */
const OVERHEAD_TOKENS = 200;

export function sourceHeader(key: string, c: Citation): string {
  const pages = c.pageStart === c.pageEnd ? `p. ${c.pageStart}` : `pp. ${c.pageStart}–${c.pageEnd}`;
  return `[${key}] ${c.label}, "${c.title}", ${pages}`;
}

export function buildMessages(question: string, sources: Citation[]): ChatMessage[] {
  const blocks = sources.map((s) => `${sourceHeader(s.key, s)}\n${s.text}`);
  // The passages go with the instructions, not in the user's turn: the privacy gate
  // pseudonymizes the question (patient text) and leaves published papers as they are. Gemma
  // folds the system text into the user turn, so the model reads the same prompt either way.
  return [
    { role: 'system', content: `${SYSTEM_PROMPT}\n\nSources:\n\n${blocks.join('\n\n')}` },
    { role: 'user', content: `Question: ${question}` },
  ];
}

function toCitation(h: SearchHit, key: string): Citation {
  return {
    key,
    paperId: h.paper.id,
    file: h.paper.file,
    title: h.paper.meta?.title ?? h.paper.file,
    label: shortLabel(h.paper.meta, h.paper.file.split(/[\\/]/).pop() ?? h.paper.file),
    pageStart: h.chunk.pageStart,
    pageEnd: h.chunk.pageEnd,
    chunkId: h.chunk.id,
    text: h.chunk.text,
  };
}

/** The most sources that fit: estimated first, then checked with one real count and trimmed. */
async function fitSources(client: ChatService, question: string, hits: SearchHit[], context: number, maxTokens: number, signal?: AbortSignal, privacy?: PrivacyScope): Promise<Citation[]> {
  const budget = context - maxTokens - OVERHEAD_TOKENS;
  let sources: Citation[] = [];
  let est = (buildMessages(question, []).reduce((n, m) => n + String(m.content).length, 0)) / 3;
  for (const h of hits) {
    const c = toCitation(h, `S${sources.length + 1}`);
    const add = (c.text.length + 120) / 3;
    if (est + add > budget) continue;
    sources.push(c);
    est += add;
  }
  while (sources.length > 1) {
    if (signal?.aborted) break;
    const n = await client.countTokens(buildMessages(question, sources), 'text', undefined, privacy);
    if (n.tokens <= budget) break;
    sources = sources.slice(0, -1);
  }
  return sources;
}

export async function askPapers(client: ChatService, library: PaperLibrary, question: string, opts: AskOptions = {}): Promise<AskResult> {
  // One scope for the question's embedding and the answer: one question in `warn` mode, the same stand-ins.
  const privacy = opts.privacy ?? new PrivacyScope();
  const k = opts.k ?? 8;
  const { hits: found, covered, ...retrieval } = await retrieve(library, question, { k: opts.rerank ? Math.max(k, RERANK_POOL) : k, paperIds: opts.paperIds, dense: opts.dense, signal: opts.signal, privacy });
  if (!covered) {
    return { answer: NOT_COVERED, sources: [], cited: [], check: checkAnswer('', []), covered: false, retrieval };
  }
  let hits = found.filter((h) => h.coverage > 0 || h.via === 'meaning');
  let rerank: RerankCost | undefined;
  if (opts.rerank) {
    const scored = await rerankPassages(client, question, hits, { signal: opts.signal, privacy });
    rerank = scored.cost;
    if (!scored.hits.length) {
      const none = `MedGemma judged none of the ${scored.cost.scored} passages found to help answer this question, so it was not asked to answer it. Rephrase it with terms the papers would use, or turn off the scoring step ("medgemma.papers.rerank"; CLI: without --rerank) to answer from the best matches.`;
      return { answer: none, sources: [], cited: [], check: checkAnswer('', []), covered: false, retrieval, rerank };
    }
    hits = scored.hits;
  }
  const maxTokens = opts.maxTokens ?? 1024;
  const context = await client.contextLength('text');
  const sources = await fitSources(client, question, hits.slice(0, k), context, maxTokens, opts.signal, privacy);
  if (!sources.length) {
    // Asked with no source, the model would answer from memory with nothing to check it against.
    const none = `None of the passages found fits the model's context (${context.toLocaleString('en-US')} tokens, ${maxTokens.toLocaleString('en-US')} of them kept for the answer), so the model was not asked. Start the server with a longer context (vLLM --max-model-len, llama.cpp -c, Ollama num_ctx) or ask for a shorter answer ("medgemma.chat.maxTokens"; CLI: --max-tokens).`;
    return { answer: none, sources: [], cited: [], check: checkAnswer('', []), covered: false, retrieval, rerank };
  }
  const result = await client.chat(
    { messages: buildMessages(question, sources), maxTokens, temperature: opts.temperature ?? 0, job: 'text', feature: 'papers', privacy },
    { signal: opts.signal, onDelta: opts.onDelta, onRetry: opts.onRetry },
  );
  const check = checkAnswer(result.text, sources.map((s) => ({ key: s.key, text: s.text })));
  const byKey = new Map(sources.map((s) => [s.key, s]));
  return {
    answer: result.text,
    sources,
    cited: check.cited.map((k) => byKey.get(k)!),
    check,
    covered: true,
    finishReason: result.finishReason,
    model: result.model,
    retrieval,
    rerank,
  };
}
