// Characters that change how text looks without being seen: bidi controls (a link text can be
// drawn right-to-left to disguise where it goes), zero-width and other format characters
// (they can hide inside a scheme or smuggle instructions as Unicode "tag" characters), C0/C1
// controls and private-use characters. Model output never needs them, so they are shown.

// \p{Cf}: format (bidi, zero-width, tags, soft hyphen); \p{Cc}: controls; \p{Co}: private use;
// \p{Cs}: lone surrogates. Tab, line feed and carriage return stay.
const HIDDEN = /(?![\t\n\r])[\p{Cf}\p{Cc}\p{Co}\p{Cs}]/gu;

/** One hidden character as visible text, e.g. "⟨U+202E⟩". */
export function codePointLabel(ch: string): string {
  return `⟨U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`;
}

/** The text with every hidden character replaced by its code point label. */
export function revealInvisible(text: string): string {
  return text.replace(HIDDEN, codePointLabel);
}

/** True when the text holds a character that revealInvisible would show. */
export function hasInvisible(text: string): boolean {
  HIDDEN.lastIndex = 0;
  const found = HIDDEN.test(text);
  HIDDEN.lastIndex = 0;
  return found;
}
