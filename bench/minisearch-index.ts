// The papers index as it was until 2026-12 (minisearch, bm25 {k: 1.2, b: 0.75, d: 0}, one JSON
// file), kept as the baseline the benchmarks and the ranking test measure the segment index
// (src/core/papers/bm25) against. Not shipped.

import MiniSearch, { type Options, type SearchResult } from 'minisearch';
import { processTerm, tokenize } from '../src/core/papers/bm25/words';
import type { Chunk } from '../src/core/papers/types';

export interface IndexedChunk {
  id: string;
  paperId: string;
  title: string;
  section: string;
  text: string;
}

export const INDEX_OPTIONS: Options<IndexedChunk> = {
  fields: ['title', 'section', 'text'],
  storeFields: ['paperId'],
  tokenize,
  processTerm,
  searchOptions: {
    boost: { title: 0.5, section: 0.5, text: 1 },
    bm25: { k: 1.2, b: 0.75, d: 0 },
    combineWith: 'OR',
  },
  autoVacuum: { minDirtCount: 200, minDirtFactor: 0.2, batchSize: 5000, batchWait: 0 },
};

export interface IndexHit {
  id: string;
  paperId: string;
  score: number;
  /** Fraction of the query's distinct terms found in the chunk. */
  coverage: number;
}

export class ChunkIndex {
  private constructor(private readonly ms: MiniSearch<IndexedChunk>) {}

  static empty(): ChunkIndex {
    return new ChunkIndex(new MiniSearch(INDEX_OPTIONS));
  }

  static load(json: string): ChunkIndex {
    return new ChunkIndex(MiniSearch.loadJSON(json, INDEX_OPTIONS));
  }

  toJSON(): string {
    return JSON.stringify(this.ms);
  }

  get size(): number {
    return this.ms.documentCount;
  }

  add(chunks: Chunk[], title: string): void {
    this.ms.addAll(chunks.map((c) => doc(c, title)));
  }

  has(id: string): boolean {
    return this.ms.has(id);
  }

  /**
   * Removes chunks with every word they brought (discard leaves the words until a vacuum):
   * for text that must not reach the index file. chunks and title as they were added.
   */
  remove(chunks: Chunk[], title: string): void {
    for (const c of chunks) if (this.ms.has(c.id)) this.ms.remove(doc(c, title));
  }

  /** Removes chunk ids (all of one paper, before re-adding or on removal). */
  discard(ids: string[]): void {
    for (const id of ids) if (this.ms.has(id)) this.ms.discard(id);
  }

  search(query: string, k: number, paperIds?: Set<string>): IndexHit[] {
    const qTerms = new Set(tokenize(query).map(processTerm).filter(Boolean));
    if (!qTerms.size) return [];
    const results: SearchResult[] = this.ms.search(query, paperIds ? { filter: (r) => paperIds.has(r.paperId as string) } : undefined);
    return results.slice(0, k).map((r) => ({
      id: String(r.id),
      paperId: r.paperId as string,
      score: r.score,
      coverage: new Set(r.queryTerms).size / qTerms.size,
    }));
  }
}

function doc(c: Chunk, title: string): IndexedChunk {
  return { id: c.id, paperId: c.paperId, title, section: c.section, text: c.text };
}
