// Bag-of-words precision and recall of an extraction against a reference text.

export function words(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[‘’′]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[‐‑‒–—−]/g, '-')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

export function precisionRecall(extracted: string, reference: string): { precision: number; recall: number } {
  const bag = new Map<string, number>();
  const ref = words(reference);
  for (const w of ref) bag.set(w, (bag.get(w) ?? 0) + 1);
  const got = words(extracted);
  let matched = 0;
  for (const w of got) {
    const n = bag.get(w) ?? 0;
    if (n > 0) {
      matched++;
      bag.set(w, n - 1);
    }
  }
  return { precision: matched / Math.max(1, got.length), recall: matched / Math.max(1, ref.length) };
}
