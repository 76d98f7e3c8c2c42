// `search_papers` and `ask_papers`: the user's indexed papers (`medgemma papers index`), searched
// on this machine with no server, or answered from with page citations. The same core as the
// Papers view, Ask Papers and `medgemma papers search|ask`.

import { askPapers, type AskOptions, type Citation } from '../papers/ask';
import type { PaperLibrary } from '../papers/library';
import { pageLabel, renderAnswerBody } from '../papers/render';
import type { ChatService } from '../server/types';
import { ToolInputError, type ToolOutput } from './tool-input';

export interface SearchPapersArgs {
  query: string;
  k?: number;
}

export const SEARCH_PAPERS_DESCRIPTION =
  "Searches the user's indexed PDF papers on this machine (no model, no server) and returns the best-matching passages with the paper's file, title and pages. " +
  'Use it to find where the papers discuss something; use ask_papers for an answer written from them.';

export interface AskPapersArgs {
  question: string;
  k?: number;
  max_tokens?: number;
  /** MedGemma scores the passages found before answering; default: the front end's setting. */
  rerank?: boolean;
}

export const ASK_PAPERS_DESCRIPTION =
  "Answers a question from the user's indexed PDF papers with their own MedGemma server, citing each claim as (Author Year, p. N); the sources list file, title and pages. " +
  'When the papers do not cover the question it says so instead of answering from general knowledge. ' +
  'rerank: true has MedGemma score the passages found before answering (one request more; better passages for a question worded unlike the papers).';

/** `howToAdd`: how this front end adds papers (the CLI's command, the editor's). */
async function requirePapers(library: PaperLibrary, howToAdd: string): Promise<void> {
  if (!(await library.list()).some((p) => p.state === 'indexed')) {
    throw new ToolInputError(`no indexed papers in ${library.dir}. ${howToAdd}`);
  }
}

const source = (c: Citation) => ({ key: c.key, file: c.file, title: c.title, label: c.label, pageStart: c.pageStart, pageEnd: c.pageEnd });

export async function searchPapersTool(library: PaperLibrary, args: SearchPapersArgs, howToAdd: string): Promise<ToolOutput> {
  await requirePapers(library, howToAdd);
  const hits = await library.search(args.query, args.k ?? 5);
  const passages = hits.map((h) => ({ file: h.paper.file, title: h.paper.meta?.title ?? '', pageStart: h.chunk.pageStart, pageEnd: h.chunk.pageEnd, score: Number(h.score.toFixed(4)), text: h.chunk.text }));
  const text = passages.length
    ? passages.map((p, i) => `${i + 1}. ${p.title || p.file}, ${pageLabel(p)} (score ${p.score.toFixed(2)})\n   ${p.file}\n   ${p.text.replace(/\s+/g, ' ')}`).join('\n\n')
    : 'No passage in the indexed papers matches; try other words.';
  return { text, structured: { passages } };
}

/**
 * `search`: how the front end searches (its settings or flags): by meaning too when an embedding
 * model is set, and whether MedGemma scores the passages first (the agent's `rerank` wins).
 * search_papers stays on words: it promises that nothing leaves the machine.
 */
export async function askPapersTool(
  client: ChatService,
  library: PaperLibrary,
  args: AskPapersArgs,
  opts: { signal: AbortSignal; howToAdd: string; search?: Pick<AskOptions, 'dense' | 'rerank'> },
): Promise<ToolOutput> {
  await requirePapers(library, opts.howToAdd);
  const rerank = args.rerank ?? opts.search?.rerank;
  const r = await askPapers(client, library, args.question, { k: args.k ?? 8, maxTokens: args.max_tokens ?? 1024, signal: opts.signal, dense: opts.search?.dense, rerank });
  const structured = {
    answer: r.answer,
    covered: r.covered,
    citations: r.cited.map(source),
    sources: r.sources.map(source),
    warnings: {
      unknownKeys: r.check.unknownKeys,
      unsupportedNumbers: r.check.sentences.filter((s) => s.unsupportedNumbers.length).map((s) => ({ sentence: s.text, numbers: s.unsupportedNumbers })),
    },
    retrieval: r.retrieval,
    rerank: r.rerank ?? null,
    finishReason: r.finishReason ?? null,
    model: r.model ?? null,
  };
  return { text: r.covered ? renderAnswerBody(r) : r.answer, structured };
}
