// The simulator's embedding model: a hashed bag of words.
//
// Why this shape: tests need vectors that are deterministic (same text, same vector, on every
// machine), cheap, and related in an obvious way (texts that share words have a positive
// cosine, texts that share none have cosine 0). Each word (lower-cased, letters/digits of any
// script, English stop words dropped, a trailing "s" cut) lands in one of `dims` slots picked by
// an FNV-1a hash, with a sign from a second hash, weighted 1 + ln(term frequency); the vector is
// then L2-normalised. A lexical stand-in for a real embedding model: it knows no synonyms and no
// meaning, so relevance judgements (which passage answers a question) cannot come from it —
// only the plumbing (batching, order, storage, cosine ranking) can be tested with it.

export const DEFAULT_EMBEDDING_DIMS = 256;

/** Common English words that carry no topic. Negations (no, not, without) are kept: they matter in notes. */
const STOP_WORDS = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have he her his how i if in into is it its ' +
    'me my of on or our she so than that the their them then there these they this those to too us was we were what when ' +
    'where which while who why will with would you your'
  ).split(' '),
);

const WORD = /[\p{L}\p{N}]+/gu;

/** The words that count: lower-cased, stop words dropped, a trailing "s" cut (not from "ss" or short words). */
export function embeddingWords(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.normalize('NFKC').toLowerCase().match(WORD) ?? []) {
    if (STOP_WORDS.has(raw)) continue;
    out.push(raw.length > 3 && raw.endsWith('s') && !raw.endsWith('ss') ? raw.slice(0, -1) : raw);
  }
  return out;
}

/** 32-bit FNV-1a over the UTF-16 code units, from a given start (so one word can give two independent hashes). */
function fnv1a(s: string, start = 0x811c9dc5): number {
  let h = start;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * The unit vector of `text` with `dims` numbers. A text without words (empty, punctuation, only
 * stop words) gives 1 on slot 0 and 0 elsewhere: still a unit vector, never NaN.
 */
export function embedText(text: string, dims = DEFAULT_EMBEDDING_DIMS): number[] {
  if (!Number.isInteger(dims) || dims < 1) throw new RangeError(`dims must be a positive integer, got ${dims}`);
  const counts = new Map<string, number>();
  for (const w of embeddingWords(text)) counts.set(w, (counts.get(w) ?? 0) + 1);
  const v = new Array<number>(dims).fill(0);
  for (const [word, tf] of counts) {
    const slot = fnv1a(word) % dims;
    const sign = fnv1a(word, 0x9e3779b9) & 1 ? -1 : 1;
    v[slot] += sign * (1 + Math.log(tf));
  }
  let norm = 0;
  for (const x of v) norm += x * x;
  if (norm === 0) {
    // No words, or words whose signed weights cancelled out in a shared slot.
    v[0] = 1;
    return v;
  }
  norm = Math.sqrt(norm);
  return v.map((x) => x / norm);
}
