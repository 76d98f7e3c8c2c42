// Helpers for patterns that are case-sensitive in the value (IDs are upper case, names are
// capitalized) but must accept a label in any case ("MRN", "Mrn", "mrn").

/** "mrn" -> "[mM][rR][nN]"; escapes (\\d) pass through. No character classes in `source`. */
export function anyCase(source: string): string {
  return source.replace(/\\.|[a-z]/gi, (c) => (c.length > 1 ? c : `[${c.toLowerCase()}${c.toUpperCase()}]`));
}

export function countDigits(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}
