// `search_papers` and `ask_papers`: the user's indexed papers (`medgemma papers index`), searched
// on this machine with no server, or answered from with page citations. The same core as the
// Papers view, Ask Papers and `medgemma papers search|ask`.

import * as z from 'zod';
import { askPapers, type Citation } from '../../core/papers/ask';
import type { PaperLibrary } from '../../core/papers/library';
import { pageLabel, renderAnswerBody } from '../../core/papers/render';
import type { MedGemmaClient } from '../../core/server/service';
import { ok, ToolInputError } from './result';

export const searchPapersInput = z.object({
  query: z.string().trim().min(1).max(2000).describe('What to look for, in words (a question or key terms).'),
  k: z.number().int().min(1).max(50).optional().describe('How many passages (default 5).'),
});

export const SEARCH_PAPERS_DESCRIPTION =
  "Searches the user's indexed PDF papers on this machine (no model, no server) and returns the best-matching passages with the paper's file, title and pages. " +
  'Use it to find where the papers discuss something; use ask_papers for an answer written from them.';

export const askPapersInput = z.object({
  question: z.string().trim().min(1).max(2000).describe('The question, in words.'),
  k: z.number().int().min(1).max(50).optional().describe('How many passages to give the model (default 8).'),
  max_tokens: z.number().int().min(16).max(8192).optional().describe('Longest answer in tokens (default 1024).'),
});

export const ASK_PAPERS_DESCRIPTION =
  "Answers a question from the user's indexed PDF papers with their own MedGemma server, citing each claim as (Author Year, p. N); the sources list file, title and pages. " +
  'When the papers do not cover the question it says so instead of answering from general knowledge.';

async function requirePapers(library: PaperLibrary): Promise<void> {
  if (!(await library.list()).some((p) => p.state === 'indexed')) {
    throw new ToolInputError(`no indexed papers in ${library.dir}. Index some with "medgemma papers index <files>" (or start the server with --index DIR)`);
  }
}

const source = (c: Citation) => ({ key: c.key, file: c.file, title: c.title, label: c.label, pageStart: c.pageStart, pageEnd: c.pageEnd });

export async function searchPapersTool(library: PaperLibrary, args: z.infer<typeof searchPapersInput>) {
  await requirePapers(library);
  const hits = await library.search(args.query, args.k ?? 5);
  const passages = hits.map((h) => ({ file: h.paper.file, title: h.paper.meta?.title ?? '', pageStart: h.chunk.pageStart, pageEnd: h.chunk.pageEnd, score: Number(h.score.toFixed(4)), text: h.chunk.text }));
  const text = passages.length
    ? passages.map((p, i) => `${i + 1}. ${p.title || p.file}, ${pageLabel(p)} (score ${p.score.toFixed(2)})\n   ${p.file}\n   ${p.text.replace(/\s+/g, ' ')}`).join('\n\n')
    : 'No passage in the indexed papers matches; try other words.';
  return ok(text, { passages });
}

export async function askPapersTool(client: MedGemmaClient, library: PaperLibrary, args: z.infer<typeof askPapersInput>, signal: AbortSignal) {
  await requirePapers(library);
  const r = await askPapers(client, library, args.question, { k: args.k ?? 8, maxTokens: args.max_tokens ?? 1024, signal });
  const structured = {
    answer: r.answer,
    covered: r.covered,
    citations: r.cited.map(source),
    sources: r.sources.map(source),
    warnings: {
      unknownKeys: r.check.unknownKeys,
      unsupportedNumbers: r.check.sentences.filter((s) => s.unsupportedNumbers.length).map((s) => ({ sentence: s.text, numbers: s.unsupportedNumbers })),
    },
    finishReason: r.finishReason ?? null,
    model: r.model ?? null,
  };
  return ok(r.covered ? renderAnswerBody(r) : r.answer, structured);
}
