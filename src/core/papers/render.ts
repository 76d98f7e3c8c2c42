// The answer as markdown: [S1] becomes (Tully 2010, p. 3) — a link when the front end gives
// one — with warnings for unknown keys and unsupported numbers, then the list of sources.

import { neutralizeLinks, plainMarkdown, type LinkMode } from '../model-text/links';
import type { ErrorKind } from '../server/errors';
import type { AskResult, Citation } from './ask';
import type { RerankCost } from './rerank';
import { CITE_RE, keysIn } from './answer-check';

export type LinkFor = (c: Citation) => string | undefined;

export function pageLabel(c: Pick<Citation, 'pageStart' | 'pageEnd'>): string {
  return c.pageStart === c.pageEnd ? `p. ${c.pageStart}` : `pp. ${c.pageStart}–${c.pageEnd}`;
}

/** "Tully 2010, p. 3": a citation as the answer shows it (labels come from PDF metadata). */
function citeText(c: Citation): string {
  return `${plainMarkdown(c.label)}, ${pageLabel(c)}`;
}

export function renderCitations(answer: string, sources: Citation[], link?: LinkFor): string {
  const byKey = new Map(sources.map((s) => [s.key, s]));
  return answer.replace(CITE_RE, (_m, inner: string) => {
    const parts = keysIn(inner).map((k) => {
      const c = byKey.get(k);
      if (!c) return `${k} ⚠ not one of the sources`;
      const text = citeText(c);
      const href = link?.(c);
      return href ? `[${text}](${href})` : text;
    });
    return `(${parts.join('; ')})`;
  });
}

export function renderAnswerMarkdown(question: string, r: AskResult, link?: LinkFor, header = ''): string {
  return [header, `## ${plainMarkdown(question)}`, '', renderAnswerBody(r, link)].join('\n');
}

// An answer document keeps its citations as plain text, readable in the editor and the
// preview. One HTML comment at its end (hidden in the preview) maps each source to its
// passage, so the editor can turn "Tully 2010, p. 3" into a link that opens that page.
export const SOURCE_MAP_START = '<!-- medgemma-papers-sources';
const MAP_RE = new RegExp(`^${SOURCE_MAP_START}\\n([\\s\\S]*?)\\n-->\\s*$`);

/** The comment that maps each source's citation text to its passage and page. */
export function sourceMapComment(sources: Citation[]): string {
  const lines = sources.map((c) => `${c.chunkId} ${c.pageStart} ${JSON.stringify(citeText(c))}`);
  return [SOURCE_MAP_START, ...lines, '-->', ''].join('\n');
}

export interface MappedSource {
  chunkId: string;
  page: number;
  /** The citation exactly as it appears in the document, e.g. "Tully 2010, pp. 3–4". */
  text: string;
}

/**
 * The sources of an answer document (empty when it has no map, e.g. a user's own file). Only
 * the map we write counts: the last one, on a line of its own, closing the document (a map
 * the model wrote into its answer is escaped and comes earlier).
 */
export function parseSourceMap(doc: string): MappedSource[] {
  const at = doc.lastIndexOf(SOURCE_MAP_START);
  if (at < 0 || (at > 0 && doc[at - 1] !== '\n')) return [];
  const m = MAP_RE.exec(doc.slice(at));
  if (!m) return [];
  const out: MappedSource[] = [];
  for (const line of m[1].split('\n')) {
    const x = /^([0-9a-f]{16}#\d+) (\d+) ("(?:[^"\\]|\\.)*")$/.exec(line.trim());
    if (!x) continue;
    try {
      out.push({ chunkId: x[1], page: Number(x[2]), text: JSON.parse(x[3]) as string });
    } catch {
      // a hand-edited line: skip it
    }
  }
  return out;
}

/**
 * The answer with its citations, checks and sources, without a heading (the chat's /papers).
 * `citedOnly` lists only the sources the answer cites (the narrow chat view) and counts the rest.
 */
/** What the scoring step did and cost, in one line. */
export function rerankNote(c: RerankCost): string {
  const tokens = c.usage ? `, ${c.usage.totalTokens.toLocaleString('en-US')} tokens` : '';
  const cost = `${c.requests} request${c.requests === 1 ? '' : 's'}${tokens}`;
  if (c.failure) return `*The scoring step did not work this time (${cost}); the passages are in the order found.*`;
  return `*MedGemma scored the ${c.scored} passages found before answering${c.dropped ? ` and left out ${c.dropped} as not helping` : ''} (${cost}).*`;
}

/** A few words on why the embedding server failed (the full message, with its address, is the CLI's and the log's). */
function denseFailurePhrase(kind: ErrorKind | undefined): string {
  switch (kind) {
    case 'unreachable':
      return 'the embedding server did not answer';
    case 'timeout':
      return 'the embedding server did not answer in time';
    case 'unauthorized':
      return 'the embedding server refused the request';
    case 'bad-config':
    case 'unknown-model':
      return 'the embedding model is not one that server serves (see "medgemma.papers.embeddingModel")';
    default:
      return "the embedding server's answer could not be used";
  }
}

export function renderAnswerBody(r: AskResult, link?: LinkFor, opts: { citedOnly?: boolean; mode?: LinkMode } = {}): string {
  const out: string[] = [];
  if (!r.covered) {
    out.push(`*${r.answer}*`, '');
    return out.join('\n');
  }
  let body = r.answer.trim();
  for (const s of r.check.sentences) {
    if (s.unsupportedNumbers.length) {
      body = body.replace(s.text, `${s.text} ⚠ *${s.unsupportedNumbers.join(', ')} not found in the cited passage*`);
    }
  }
  // The model's own links are made inert before ours are added (core/model-text/links.ts).
  out.push(renderCitations(neutralizeLinks(body, opts.mode ?? 'document').text, r.sources, link), '');
  if (r.finishReason === 'length') out.push('*The answer was cut at the token limit.*', '');
  if (r.finishReason === 'cancelled') out.push('*Stopped: the answer is incomplete.*', '');
  if (r.rerank) out.push(rerankNote(r.rerank), '');
  if (r.retrieval.denseFailure) out.push(`*Search by meaning was skipped this time: ${denseFailurePhrase(r.retrieval.denseFailureKind)}. The passages were found by their words.*`, '');
  const notes: string[] = [];
  if (r.check.unknownKeys.length) notes.push(`cites ${r.check.unknownKeys.map((k) => `[${k}]`).join(', ')}, which ${r.check.unknownKeys.length > 1 ? 'are' : 'is'} not among the sources`);
  if (!r.check.cited.length && r.answer.trim()) notes.push('cites no source: treat it as unsupported');
  if (r.check.foreignLinks.length) notes.push(`contains ${r.check.foreignLinks.length > 1 ? 'links' : 'a link'} that no passage has (shown as text, not opened)`);
  if (notes.length) out.push(`> ⚠ The answer ${notes.join('; ')}.`, '');
  out.push('### Sources', '');
  const listed = opts.citedOnly ? r.sources.filter((c) => r.check.cited.includes(c.key)) : r.sources;
  for (const c of listed) {
    const used = r.check.cited.includes(c.key) ? '' : ' (not cited)';
    const text = citeText(c);
    const href = link?.(c);
    out.push(`- **${c.key}** ${href ? `[${text}](${href})` : text} — ${plainMarkdown(c.title)}${used}`);
  }
  const unlisted = r.sources.length - listed.length;
  if (unlisted) out.push('', `*${unlisted} more passage${unlisted > 1 ? 's were' : ' was'} given to the model but not cited.*`);
  out.push('');
  return out.join('\n');
}
