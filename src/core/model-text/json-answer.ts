// A model's JSON answer, read strictly: one JSON object (a ```json fence around it is tolerated,
// as models without structured output write one), or nothing. Prose, two objects or an
// oversized answer is undefined, never a guess.

export function parseJsonObject(answer: string, maxChars: number): Record<string, unknown> | undefined {
  if (answer.length > maxChars) return undefined;
  const body = answer
    .trim()
    .replace(/^```(?:json)?[ \t]*\r?\n?/i, '')
    .replace(/\r?\n?```$/, '')
    .trim();
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
