/* eslint-disable no-control-regex -- \u0001 and \u0002 are our placeholders (see OPEN, CLOSE) */
// One policy for links in model output, wherever it is shown. A model writes what it read (a
// note, a paper someone sent), so any link in its text may be hostile: `command:` runs a VS
// Code command on Ctrl+click, `file:` opens local files, a web address can be disguised.
// The only live links are the ones we make ourselves (citations, checked to exist).
//
// - 'document' (summary and answer documents, the CLI's markdown): every link the model
//   wrote becomes text; its destination is shown in code style with `://` broken, so neither
//   VS Code's markdown link provider nor the editor's URL detector acts on it, and no
//   markdown preview turns it back into a link. No "<" is followed by a letter: the markdown
//   server parses the whole document as HTML and links every <a href> and <img src> in it.
//   The output contains no markdown link syntax at all, even inside code spans, so it does
//   not matter whether an editor agrees with us about what is code.
// - 'chat' (model text a webview renders, where web links open only after the user agrees):
//   web and mail links stay links; every other destination becomes text the same way.

import { LinkifyIt } from 'linkify-it';
import { revealInvisible } from './invisible';

export type LinkMode = 'document' | 'chat';

export interface Neutralized {
  text: string;
  /** Every link destination and address found in the text, as written. */
  links: string[];
}

export type HrefKind = 'web' | 'mail' | 'paper' | 'other';

/** What a link destination is, after the markup has been read (entities decoded). */
export function hrefKind(href: string): HrefKind {
  const h = href.trim();
  if (/^https?:\/\/[^\s/?#]/i.test(h)) return 'web';
  if (/^mailto:[^\s]/i.test(h)) return 'mail';
  if (/^medgemma-paper:/i.test(h)) return 'paper';
  return 'other';
}

const linkify = new LinkifyIt({ fuzzyLink: true, fuzzyEmail: true, fuzzyIP: true });

// Placeholders for code and kept links while the prose is rewritten. revealInvisible has
// already turned every control character of the input into visible text, so these two
// cannot come from the model.
const OPEN = '\u0001';
const CLOSE = '\u0002';
const PLACEHOLDER = /\u0001(\d+)\u0002/g;

// [label](destination "title") and ![alt](src). Bounded so that a flood of brackets cannot
// make the scan quadratic without end.
const INLINE_LINK = new RegExp(
  String.raw`(!?)\[((?:[^\[\]\\]|\\.|\[(?:[^\[\]\\]|\\.){0,500}\]){0,1000})\]\(\s*` +
    String.raw`(<[^<>\n]{0,2000}>|(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.){0,2000}\)){0,2000})` +
    String.raw`(?:\s+("(?:[^"\\]|\\.){0,1000}"|'(?:[^'\\]|\\.){0,1000}'|\((?:[^()\\]|\\.){0,1000}\)))?\s*\)`,
  'g',
);
// <scheme:...> and <user@host> (CommonMark autolinks; VS Code accepts any <word:...>).
const AUTOLINK = /<([\w+.-]{1,32}:[^<>\s]{0,2000}|[^\s<>@]{1,200}@[^\s<>@]{1,200})>/g;
const DEFINITION = /^([\t ]{0,3})\[(?!\^)((?:\\\]|[^\]\n]){1,500})\]:[\t ]*\n?[\t ]*(<[^<>\n]{0,2000}>|[^\s\u0001\u0002]{1,2000})/gm;
// Addresses with a scheme that linkify does not know (command:, vscode:, file:, data: ...).
const SCHEME_TOKEN =
  /(?<![\w+.-])(?:[a-z][a-z0-9+.-]{1,31}:\/\/[^\s<>`\u0001\u0002]+|(?:command|vscode(?:-[a-z]+)?|javascript|vbscript|data|file|blob|about|tel|sms|medgemma-paper):[^\s<>`\u0001\u0002]+)/gi;
const TRAILING = /[.,;:!?'"*_]+$/;
const CITATION_LABEL = /^\s*(?:L|S|lines?\s*)\d/i; // [L12] note lines, [S1] paper sources

/** Breaks `scheme://` so the editor's URL detector does not see an address. */
function breakScheme(s: string): string {
  return s.replace(/([a-z][a-z0-9+.-]*):\/\//gi, '$1[:]//');
}

/** Code the model wrote (or an address we show as code): no link syntax survives inside. */
function inertCode(s: string): string {
  return breakScheme(s)
    .replace(/\]\(/g, '] (')
    .replace(/\]:/g, '] :')
    .replace(/<([\w+.-]+):/g, '<$1[:]')
    .replace(/<(?=[A-Za-z])/g, '< ');
}

// A destination that is not a web or mail address, after "(" or ":" and optional space or "<".
const NOT_WEB = String.raw`(?!\s*<?(?:https?:\/\/|mailto:))`;
const CHAT_CODE_LINK = new RegExp(String.raw`\]\(${NOT_WEB}|\]:${NOT_WEB}|<(?!https?:|mailto:)([\w+.-]+):`, 'gi');

/**
 * Code in the chat keeps its text: the chat view shows it as code. Only what would be a link to
 * something other than the web were we wrong about where the code is (a stray backtick, a fence
 * the chat view reads differently) gets a space or a broken scheme, so a forged citation or a
 * command written "inside code" can never be a live link.
 */
function chatCode(s: string): string {
  return s.replace(CHAT_CODE_LINK, (m, scheme?: string) => (scheme ? `<${scheme}[:]` : `${m[0]} ${m[1]}`));
}

/** A destination the chat view reads as we do: no "<" or ">" in it but one enclosing pair. */
function plainDest(raw: string): boolean {
  const inner = raw.startsWith('<') ? (raw.endsWith('>') ? raw.slice(1, -1) : undefined) : raw;
  return inner !== undefined && !/[<>]/.test(inner);
}

/** A code span holding `s` exactly (fenced with more backticks than `s` has in a row). */
function codeSpan(s: string): string {
  const longest = Math.max(0, ...[...s.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}

/** Splits trailing sentence punctuation (and unmatched closing brackets) off an address. */
function trimAddress(s: string): [string, string] {
  let addr = s;
  let tail = '';
  for (;;) {
    const t = TRAILING.exec(addr);
    if (t) {
      tail = t[0] + tail;
      addr = addr.slice(0, -t[0].length);
      continue;
    }
    const last = addr.at(-1);
    const pairs: Record<string, string> = { ')': '(', ']': '[' };
    if (last && pairs[last] && addr.split(pairs[last]).length <= addr.split(last).length - 1) {
      tail = last + tail;
      addr = addr.slice(0, -1);
      continue;
    }
    return [addr, tail];
  }
}

class Rewriter {
  private readonly held: string[] = [];
  readonly links: string[] = [];

  constructor(private readonly mode: LinkMode) {}

  hold(s: string): string {
    this.held.push(s);
    return `${OPEN}${this.held.length - 1}${CLOSE}`;
  }

  restore(s: string): string {
    // Held pieces may hold placeholders themselves (a link label with code in it).
    let out = s;
    for (let i = 0; i < 4 && out.includes(OPEN); i++) out = out.replace(PLACEHOLDER, (_m, n: string) => this.held[Number(n)] ?? '');
    return out;
  }

  /** An address the model wrote, shown as code that nothing acts on. */
  address(raw: string): string {
    const shown = this.restore(raw);
    this.links.push(shown);
    return this.hold(codeSpan(inertCode(shown)));
  }

  keepsWeb(dest: string): boolean {
    return this.mode === 'chat' && (hrefKind(dest) === 'web' || hrefKind(dest) === 'mail');
  }

  inlineLinks(text: string): string {
    return text.replace(INLINE_LINK, (whole, bang: string, label: string, rawDest: string) => {
      const dest = rawDest.startsWith('<') ? rawDest.slice(1, -1) : rawDest;
      if (this.keepsWeb(dest) && plainDest(rawDest)) {
        this.links.push(dest);
        // Links cannot hold links: one in the label would be the live one, so it is rewritten too.
        const inner = /\]\(|</.test(label) ? this.autolinks(this.inlineLinks(label)).replace(/\]\(/g, ']\\(') : label;
        return this.hold(`${bang}[${inner}]${whole.slice(bang.length + label.length + 2)}`);
      }
      const shownLabel = CITATION_LABEL.test(label) ? `[${label}]` : label;
      if (!dest.trim()) return shownLabel;
      return `${shownLabel} (${bang ? 'image' : 'link'}: ${this.address(dest)})`;
    });
  }

  /** Reference definitions ("[id]: destination"), also with the destination on the next line. */
  definitions(text: string): string {
    return text.replace(DEFINITION, (whole, indent: string, label: string, dest: string, at: number, all: string) => {
      const bare = dest.startsWith('<') ? dest.slice(1, -1) : dest;
      // Kept only when the chat view reads the same definition: nothing else on its line, and no
      // label or destination that could hold a link of its own.
      const alone = /^[\t ]*(?:\n|$)/.test(all.slice(at + whole.length));
      if (this.keepsWeb(bare) && plainDest(dest) && alone && !/[<>()[\]]/.test(label)) {
        this.links.push(bare);
        return this.hold(whole);
      }
      return `${indent}[${label}]\\: ${this.address(bare)}`;
    });
  }

  autolinks(text: string): string {
    return text.replace(AUTOLINK, (whole, inner: string) => {
      if (this.keepsWeb(inner) || (this.mode === 'chat' && inner.includes('@') && !inner.includes(':'))) {
        this.links.push(inner);
        return this.hold(whole);
      }
      return this.address(inner);
    });
  }

  bareAddresses(text: string): string {
    const spans: Array<[number, number]> = [];
    // Read with each held piece as spaces of its length, as a preview reads the text after a code span.
    const probe = text.replace(PLACEHOLDER, (m) => ' '.repeat(m.length));
    for (const m of linkify.match(probe) ?? []) spans.push([m.index, m.lastIndex]);
    for (const m of probe.matchAll(SCHEME_TOKEN)) spans.push([m.index, m.index + m[0].length]);
    spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    let out = '';
    let at = 0;
    for (const [start, end] of spans) {
      if (start < at) continue;
      const [addr, tail] = trimAddress(text.slice(start, end));
      if (!addr) continue;
      out += text.slice(at, start) + this.address(addr) + tail;
      at = end;
    }
    return out + text.slice(at);
  }
}

// Fenced code (``` or ~~~, indented up to 3 spaces), closed by the same fence or the end of text.
function splitFences(text: string, code: (s: string) => string): string {
  const lines = text.split('\n');
  let fence: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (fence === null) {
      const open = /^ {0,3}(`{3,}|~{3,})/.exec(line);
      if (open && !(open[1][0] === '`' && line.slice(open[0].length).includes('`'))) fence = open[1];
      else continue;
      lines[i] = code(line);
      continue;
    }
    const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
    if (close && close[1][0] === fence[0] && close[1].length >= fence.length) fence = null;
    lines[i] = code(line);
  }
  return lines.join('\n');
}

// Inline code spans on one line: a run of backticks closed by a run of the same length.
const CODE_SPAN = /(?<!`)(`+)(?!`)([^\n]*?[^`\n]|[^`\n])\1(?!`)/g;

/**
 * Model text with every link it wrote made inert (see the top of this file). Bidi, zero-width
 * and other hidden characters are shown as ⟨U+XXXX⟩.
 */
export function neutralizeLinks(markdown: string, mode: LinkMode = 'document'): Neutralized {
  const r = new Rewriter(mode);
  let text = revealInvisible(markdown);
  if (mode === 'document') {
    text = splitFences(text, (line) => r.hold(inertCode(line)));
    text = text.replace(CODE_SPAN, (whole) => r.hold(inertCode(whole)));
  } else {
    text = splitFences(text, (line) => r.hold(chatCode(line)));
    text = text.replace(CODE_SPAN, (whole) => r.hold(chatCode(whole)));
  }
  text = r.inlineLinks(text);
  text = r.definitions(text);
  text = r.autolinks(text);
  // What is left of link syntax cannot form a link: "](" and "]:" (reference definitions).
  text = text.replace(/\]\(/g, ']\\(').replace(/\]:/g, ']\\:');
  // An autolink this did not read (longer than its limit) that the chat view would: its "<"
  // as an entity, which the chat view shows as "<" and never reads as the start of a link.
  if (mode === 'chat') text = text.replace(/<(?=[A-Za-z][\w+.-]{1,31}:[^\s<>]*>)/g, '&lt;');
  if (mode === 'document') {
    // Raw HTML (tags, comments) as an entity, even after a backslash: VS Code's markdown server
    // reads every <a href>, <img src>, <video src> and <source src> in the whole document with
    // an HTML parser, escaped or not, in code or not (it decodes entities in the addresses too).
    text = text.replace(/<(?=[A-Za-z/!?])/g, '&lt;');
    text = r.bareAddresses(text);
    // Whatever "://" is left (glued to other text, e.g. "%3Ahttps://"): "\/" shows as "/".
    text = text.replace(/:\/\//g, ':\\/\\/');
    // A backtick the model left unpaired would pair with one of the code spans above, and a
    // backslash before one would escape its first backtick: either turns an address shown as
    // code back into prose. Each is escaped (an escaped backtick or backslash shows as itself).
    text = text.replace(/\\*`/g, (m) => ((m.length - 1) % 2 ? m : `${m.slice(0, -1)}\\\``));
    text = text.replace(/\\+(?=\u0001)/g, (m) => (m.length % 2 ? `${m}\\` : m));
    // Two code spans side by side would read as one span with a backtick run inside: a space between.
    text = text.replace(/\u0002(?=\u0001)/g, '\u0002 ');
  }
  return { text: r.restore(text), links: r.links };
}

/** A link as the checks compare them: case, surrounding space and a trailing slash or dot ignored. */
export function linkKey(link: string): string {
  return link.trim().toLowerCase().replace(/[/.]+$/, '');
}

/** The link destinations and addresses in a text (for checks that compare them). */
export function linksIn(text: string): string[] {
  return neutralizeLinks(text, 'document').links;
}

/**
 * Text from outside that is not markdown (a paper's title, a file name) for a markdown
 * document: markup characters escaped and `://` written `:\/\/`, which a preview shows as
 * `://` but no editor reads as an address.
 */
export function plainMarkdown(text: string): string {
  return revealInvisible(text)
    .replace(/[\\`*_[\]>#|~]/g, '\\$&')
    .replace(/</g, '&lt;')
    .replace(/:\/\//g, ':\\/\\/')
    .replace(/\r?\n/g, ' ');
}
