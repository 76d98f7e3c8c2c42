// The scorer: how the simulator answers the papers' scoring step (src/core/papers/rerank.ts).
// Deterministic, so tests know the order from the text: a passage scores the number of the
// question's words of 4+ letters it contains (capped at 3); 0 when it has none.
// With `response_format` json_schema the answer is the bare JSON object; without it, the JSON
// inside a ```json fence, as models write it unasked.

/** Kept equal to the extension's PASSAGES_LABEL by a test. */
export const PASSAGES_LABEL = 'Passages to score:';

export function isRerankPrompt(userText: string): boolean {
  return userText.split('\n').some((l) => l === PASSAGES_LABEL);
}

const words = (text: string): Set<string> => new Set((text.toLowerCase().match(/\p{L}{4,}/gu) ?? []).filter((w) => !['what', 'which', 'with', 'does', 'were', 'they', 'this', 'that', 'from', 'about', 'question'].includes(w)));

export function passageScores(userText: string): { passage: string; score: number }[] {
  const at = userText.lastIndexOf('Question:');
  const question = words(at >= 0 ? userText.slice(at) : '');
  const body = userText.slice(userText.indexOf(PASSAGES_LABEL) + PASSAGES_LABEL.length, at >= 0 ? at : undefined);
  const out: { passage: string; score: number }[] = [];
  for (const m of body.matchAll(/^\[(P\d+)\][^\n]*\n([\s\S]*?)(?=^\[P\d+\]|$(?![\s\S]))/gm)) {
    const have = words(m[2]);
    out.push({ passage: m[1], score: Math.min(3, [...question].filter((w) => have.has(w)).length) });
  }
  return out;
}

export function rerankAnswer(userText: string, structured: boolean): string {
  const json = JSON.stringify({ scores: passageScores(userText) });
  return structured ? json : `\`\`\`json\n${json}\n\`\`\``;
}
