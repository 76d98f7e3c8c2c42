// "12-40" or "12": the note lines a summary covers (the CLI's --lines, the agent tools' `lines`).

/** The range, or why it is not one, in words that name the argument (`name`: "--lines", "lines"). */
export function parseLineRange(v: string, name: string): { range: [number, number] } | { error: string } {
  const m = /^(\d+)(?:-(\d+))?$/.exec(v.trim());
  if (!m) return { error: `${name} must look like 12-40 (first-last, 1-based), not "${v}"` };
  const a = Number(m[1]);
  const b = m[2] ? Number(m[2]) : a;
  if (a < 1 || b < a) return { error: `${name} ${v} is not a valid range: use first-last with 1 <= first <= last` };
  return { range: [a, b] };
}
