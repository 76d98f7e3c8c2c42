// The two QA sets of test/fixtures/qa as chunked "papers" for retrieval measurements.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chunkParagraphs } from '../src/core/papers/chunk';
import type { Chunk, Paragraph } from '../src/core/papers/types';
import { fixture } from '../test/fixtures';

export const QA = fixture('qa');

export interface Corpus {
  papers: { id: string; title: string; chunks: Chunk[] }[];
  questions: { q: string; paperId: string; answer?: string }[];
}

export function pubmedqa(): Corpus {
  const data = JSON.parse(fs.readFileSync(path.join(QA, 'pubmedqa-pqal.json'), 'utf8')) as Record<string, { QUESTION: string; CONTEXTS: string[]; LABELS: string[] }>;
  const papers: Corpus['papers'] = [];
  const questions: Corpus['questions'] = [];
  for (const [id, e] of Object.entries(data)) {
    // The abstract without its title (the question often restates the title).
    const paras: Paragraph[] = e.CONTEXTS.map((text, i) => ({ page: 1, text, section: e.LABELS[i] ?? '' }));
    papers.push({ id, title: '', chunks: chunkParagraphs(id, paras) });
    questions.push({ q: e.QUESTION, paperId: id });
  }
  return { papers, questions };
}

export function covidqa(): Corpus {
  const data = JSON.parse(fs.readFileSync(path.join(QA, 'covidqa-200423.json'), 'utf8')) as {
    data: { paragraphs: { context: string; document_id: number; qas: { question: string; answers: { text: string }[] }[] }[] }[];
  };
  const papers: Corpus['papers'] = [];
  const questions: Corpus['questions'] = [];
  for (const d of data.data) {
    for (const p of d.paragraphs) {
      const id = String(p.document_id);
      const [title, ...rest] = p.context.split('\n');
      const paras: Paragraph[] = rest.join('\n').split(/\n+/).filter((t) => t.trim()).map((text) => ({ page: 1, text: text.trim(), section: '' }));
      papers.push({ id, title, chunks: chunkParagraphs(id, paras) });
      for (const qa of p.qas) questions.push({ q: qa.question, paperId: id, answer: qa.answers[0]?.text });
    }
  }
  return { papers, questions };
}

export const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();

/** A sentence-shuffled copy of a chunk under another paper id (same words, new order). */
function shuffleVariant(c: Chunk, n: number): Chunk {
  const s = c.text.match(/[^.!?]+[.!?]*\s*/g) ?? [c.text];
  let seed = n * 2654435761;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (let i = s.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [s[i], s[j]] = [s[j], s[i]];
  }
  return { ...c, id: `${c.paperId}v${n}#${c.id.split('#')[1]}`, paperId: `${c.paperId}v${n}`, text: s.join('') };
}

/**
 * A library-sized corpus for index benchmarks: the COVID-QA and PubMedQA chunks plus
 * sentence-shuffled variants of them up to `size` chunks (~2,000 papers at 50,000), and the
 * first 1,000 questions of both sets.
 */
export function corpus50k(size = 50_000): { chunks: Chunk[]; questions: string[] } {
  const corpora = [covidqa(), pubmedqa()];
  const base = corpora.flatMap((c) => c.papers.flatMap((p) => p.chunks));
  const questions = corpora.flatMap((c) => c.questions.map((q) => q.q)).slice(0, 1000);
  const chunks: Chunk[] = [...base];
  for (let v = 1; chunks.length < size; v++) for (const c of base) if (chunks.length < size) chunks.push(shuffleVariant(c, v));
  return { chunks, questions };
}
