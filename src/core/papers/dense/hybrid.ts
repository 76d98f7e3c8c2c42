// Retrieval for a question: the words index (BM25) always; with an embedding model, also the
// passages closest in meaning, the two rankings fused by reciprocal rank fusion (each passage
// scores the sum of 1 / (60 + its rank) over the lists that hold it — rank-only, so BM25's
// unbounded scores and cosines need no calibration against each other). Whether the papers
// cover the question at all is still decided by the words: a passage close in meaning to
// every question would otherwise make any question "covered" and invite an answer from
// general knowledge.

import type { PrivacyScope } from '../../privacy/gate';
import { type ErrorKind, isMedGemmaError, messageOf } from '../../server/errors';
import { coversQuestion } from '../bm25/search';
import type { PaperLibrary } from '../library';
import type { SearchHit } from '../types';
import type { DenseIndex } from './dense-index';

/** The usual constant (Cormack et al. 2009): damps the weight of the first few ranks. */
export const RRF_K = 60;
/** How deep each list goes into the fusion. */
export const FUSE_DEPTH = 50;

export interface Retrieval {
  hits: SearchHit[];
  covered: boolean;
  /** 'words': BM25 alone (no embedding model, or not covered); 'words+meaning': fused. */
  method: 'words' | 'words+meaning';
  /** Why search by meaning was skipped although set up (the embedding server failed): BM25 alone was used. */
  denseFailure?: string;
  /** Its kind (MedGemmaError's), for a short word in an answer: the message names addresses and settings. */
  denseFailureKind?: ErrorKind;
}

/** Ids by fused score, best first; ties keep the order of the first list. */
export function fuseRanks(lists: readonly (readonly string[])[], k = RRF_K): { id: string; score: number }[] {
  const score = new Map<string, number>();
  for (const list of lists) list.forEach((id, rank) => score.set(id, (score.get(id) ?? 0) + 1 / (k + rank + 1)));
  return [...score].map(([id, s]) => ({ id, score: s })).sort((a, b) => b.score - a.score);
}

export async function retrieve(
  library: PaperLibrary,
  question: string,
  opts: { k: number; paperIds?: string[]; dense?: DenseIndex; signal?: AbortSignal; privacy?: PrivacyScope },
): Promise<Retrieval> {
  const words = await library.search(question, opts.dense ? Math.max(opts.k, FUSE_DEPTH) : opts.k, opts.paperIds);
  const covered = coversQuestion(question, words[0]);
  if (!opts.dense || !covered) return { hits: words.slice(0, opts.k), covered, method: 'words' };
  let meaning;
  try {
    meaning = await opts.dense.search(question, FUSE_DEPTH, opts.paperIds, { signal: opts.signal, privacy: opts.privacy });
  } catch (e) {
    // A stop, or "don't send" at the privacy question, ends the question; anything else falls back to words.
    if (opts.signal?.aborted || (isMedGemmaError(e) && e.kind === 'declined')) throw e;
    const kind = isMedGemmaError(e) ? e.kind : 'server-error';
    return { hits: words.slice(0, opts.k), covered, method: 'words', denseFailure: messageOf(e), denseFailureKind: kind };
  }
  const byId = new Map(words.map((h) => [h.chunk.id, h]));
  const near = new Set(meaning.map((m) => m.id));
  const hits: SearchHit[] = [];
  for (const { id, score } of fuseRanks([words.map((h) => h.chunk.id), meaning.map((m) => m.id)])) {
    if (hits.length >= opts.k) break;
    const known = byId.get(id);
    if (known) {
      hits.push({ ...known, score, via: near.has(id) ? 'both' : 'words' });
      continue;
    }
    const chunk = await library.chunk(id);
    const paper = chunk && (await library.get(chunk.paperId));
    if (chunk && paper) hits.push({ chunk, paper, score, coverage: 0, via: 'meaning' });
  }
  return { hits, covered, method: 'words+meaning' };
}
