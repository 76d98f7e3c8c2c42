// Text from outside — file contents and names, PDF titles, server and model output — is shown
// in a terminal, never obeyed. Every CLI output path goes through these two functions
// (src/cli/terminal-output.ts wraps stdout and stderr with terminalText).
//
// Human output: tab and line feed stay; CRLF becomes LF; every other C0 control, DEL, every C1
// control and the bidi controls are shown as their code point, "⟨U+001B⟩" — the notation the
// chat and the documents use for hidden characters (model-text/invisible.ts) — so an ESC [ 2 J
// in a file name or an OSC 52 in an answer is visible and does nothing. A lone surrogate becomes
// U+FFFD (what writing it as UTF-8 gives anyway).
// JSON output: JSON.stringify already escapes C0 controls and lone surrogates; jsonText also
// escapes DEL, C1 and bidi controls and U+2028/2029 as \uXXXX, so the parsed values are exact.

import { codePointLabel } from './model-text/invisible';

// eslint-disable-next-line no-control-regex -- these control characters are what is matched
const UNSAFE = /\r\n|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|\p{Cs}/gu;
const LONE_SURROGATE = /^\p{Cs}$/u;

/** The text as a terminal should show it: no character in it can act on the terminal. */
export function terminalText(text: string): string {
  return text.replace(UNSAFE, (ch) => (ch === '\r\n' ? '\n' : LONE_SURROGATE.test(ch) ? '\ufffd' : codePointLabel(ch)));
}

const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

const escapeUnsafe = (json: string): string => json.replace(JSON_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** JSON.stringify(value, null, 2) with no raw control or bidi character left in it. */
export function jsonText(value: unknown): string {
  return escapeUnsafe(JSON.stringify(value, null, 2));
}

/** One JSON Lines record: the value on a single line, escaped as jsonText. */
export function jsonLine(value: unknown): string {
  return escapeUnsafe(JSON.stringify(value));
}
