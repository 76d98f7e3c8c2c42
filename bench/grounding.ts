// npm run eval:grounding — how well the citation checks catch what a clinician catches.
// Reads test/fixtures/grounding/dev-set.json (statements with citations, a note, and a label:
// faithful or an error type), checks each statement against its note, and prints sensitivity
// per error type and overall, specificity on the faithful statements, which check kinds fired,
// and how long the rules take for a 50-statement summary.
//
//   npm run eval:grounding [-- --verbose] [-- --split dev|held-out]
//   (--verbose lists every miss and false alarm; --split limits the table to one half)
//
// With a model check (setting medgemma.summary.verify = rules+model), measured on a real server:
//   npm run eval:grounding -- --verify rules+model --base-url http://gpu:8000/v1 [--model ID]
//   (MEDGEMMA_API_KEY for a key; --sim runs it against the simulator, which tests the
//   plumbing only: its verifier is a word matcher, not a model)

import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkStatements, parseStatements, type CheckedStatement } from '../src/core/notes/citations';
import { RULES } from '../src/core/notes/checks';
import { numberNote, type NumberedNote } from '../src/core/notes/numbering';
import { verifyWithModel } from '../src/core/notes/verify/verify';
import { makeClient } from '../src/cli/options';
import { startSim } from '../test/sim';

interface Labelled {
  id: number;
  /** 'dev' (rules were tuned on it) or 'held-out' (written after tuning, never used to change a rule). */
  split: string;
  note: string;
  label: string;
  statement: string;
}

const ROOT = path.join(__dirname, '..');
const SET = path.join(ROOT, 'test/fixtures/grounding/dev-set.json');
const NOTES = path.join(ROOT, 'test/fixtures/notes');
const verbose = process.argv.includes('--verbose');

const all = (JSON.parse(fs.readFileSync(SET, 'utf8')) as { statements: Labelled[] }).statements;
const splitArg = process.argv.indexOf('--split');
const onlySplit = splitArg > 0 ? process.argv[splitArg + 1] : undefined;
const set = onlySplit ? all.filter((s) => s.split === onlySplit) : all;
const notes = new Map<string, NumberedNote>();
const noteOf = (name: string) => {
  let n = notes.get(name);
  if (!n) {
    n = numberNote(fs.readFileSync(path.join(NOTES, name), 'utf8'));
    notes.set(name, n);
  }
  return n;
};

function checkOne(item: Labelled): CheckedStatement {
  const parsed = parseStatements(`- ${item.statement}`);
  if (parsed.length !== 1) throw new Error(`statement ${item.id} parses into ${parsed.length} statements`);
  return checkStatements(parsed, noteOf(item.note))[0];
}

const results = set.map((item) => ({ item, checked: checkOne(item) }));
const pct = (a: number, b: number) => (b === 0 ? '  -  ' : (a / b).toFixed(2));
type Result = (typeof results)[number];

/** Sensitivity per error type and overall, specificity, and both per split. */
function table(rs: Result[], title: string): void {
  const byLabel = new Map<string, Result[]>();
  for (const r of rs) byLabel.set(r.item.label, [...(byLabel.get(r.item.label) ?? []), r]);
  console.log(`${title} on ${set.length} labelled statements${onlySplit ? ` (${onlySplit} split)` : ''} over ${new Set(set.map((s) => s.note)).size} notes\n`);
  console.log('error type            caught / n   sensitivity   kinds that fired');
  let caught = 0;
  let errors = 0;
  for (const [label, group] of [...byLabel].sort()) {
    if (label === 'faithful') continue;
    const hit = group.filter((r) => !r.checked.supported);
    caught += hit.length;
    errors += group.length;
    const kinds = new Map<string, number>();
    for (const r of hit) kinds.set(r.checked.kind ?? '?', (kinds.get(r.checked.kind ?? '?') ?? 0) + 1);
    const kindText = [...kinds].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ');
    console.log(`${label.padEnd(22)}${`${hit.length} / ${group.length}`.padStart(9)}   ${pct(hit.length, group.length).padStart(11)}   ${kindText}`);
  }
  const faithful = byLabel.get('faithful') ?? [];
  const kept = faithful.filter((r) => r.checked.supported).length;
  console.log(`${'ALL ERRORS'.padEnd(22)}${`${caught} / ${errors}`.padStart(9)}   ${pct(caught, errors).padStart(11)}`);
  console.log(`\nfaithful kept: ${kept} / ${faithful.length}   specificity ${pct(kept, faithful.length)}`);
  for (const split of [...new Set(rs.map((r) => r.item.split))]) {
    const inSplit = rs.filter((r) => r.item.split === split);
    const err = inSplit.filter((r) => r.item.label !== 'faithful');
    const ok = inSplit.filter((r) => r.item.label === 'faithful');
    const sens = err.filter((r) => !r.checked.supported).length;
    const spec = ok.filter((r) => r.checked.supported).length;
    console.log(`  ${split.padEnd(9)} sensitivity ${sens} / ${err.length} = ${pct(sens, err.length)}   specificity ${spec} / ${ok.length} = ${pct(spec, ok.length)}`);
  }
  if (verbose) {
    console.log('\nFalse alarms (faithful statements flagged):');
    for (const r of faithful.filter((x) => !x.checked.supported)) console.log(`  #${r.item.id} (${r.item.split}) ${r.item.statement}\n      -> ${r.checked.reason}`);
    console.log('\nMisses (errors not flagged):');
    for (const r of rs.filter((x) => x.item.label !== 'faithful' && x.checked.supported)) console.log(`  #${r.item.id} (${r.item.split}) [${r.item.label}] ${r.item.statement}`);
  }
}

table(results, 'Grounding checks');

// The same set with the built-in checks only (numbers, negation, family history, lines, overlap).
const bare = set.map((item) => ({ item, checked: checkStatements(parseStatements(`- ${item.statement}`), noteOf(item.note), { rules: [] })[0] }));
const bareErr = bare.filter((r) => r.item.label !== 'faithful');
const bareOk = bare.filter((r) => r.item.label === 'faithful');
const bareSens = bareErr.filter((r) => !r.checked.supported).length;
const bareSpec = bareOk.filter((r) => r.checked.supported).length;
console.log(`  without the rules (built-in checks only): sensitivity ${bareSens} / ${bareErr.length} = ${pct(bareSens, bareErr.length)}   specificity ${bareSpec} / ${bareOk.length} = ${pct(bareSpec, bareOk.length)}`);

// Timing: the rules' share of checking a 50-statement summary. Both passes see the same
// statements; "without rules" passes an empty rules list.
const fifty = Array.from({ length: 50 }, (_, i) => set[(i * 7) % set.length]);
const groups = new Map<string, Labelled[]>();
for (const s of fifty) groups.set(s.note, [...(groups.get(s.note) ?? []), s]);
const summaries = [...groups].map(([note, items]) => ({ note: noteOf(note), statements: parseStatements(items.map((s) => `- ${s.statement}`).join('\n')) }));
const run = (rules: boolean) => {
  const t0 = process.hrtime.bigint();
  for (const s of summaries) checkStatements(s.statements, s.note, { rules: rules ? RULES : [] });
  return Number(process.hrtime.bigint() - t0) / 1e6;
};
for (let i = 0; i < 5; i++) {
  run(true);
  run(false);
}
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const withRules = median(Array.from({ length: 21 }, () => run(true)));
const withoutRules = median(Array.from({ length: 21 }, () => run(false)));
console.log(`\n50-statement summary: ${withRules.toFixed(2)} ms with rules, ${withoutRules.toFixed(2)} ms without; rules add ${(withRules - withoutRules).toFixed(2)} ms (median of 21, warm)`);

// Scaling: the long ICU note copied 1, 2 and 4 times, one statement per line of text (its
// first 12 words, citing the line). Linear work gives x2 and x4; the unit test counts the note
// lines read for the same property (test/unit/notes/citations.test.ts), this shows the time.
const icu = fs.readFileSync(path.join(NOTES, 'icu-course-long.txt'), 'utf8');
const scaled = [1, 2, 4].map((copies) => {
  const note = numberNote(Array.from({ length: copies }, () => icu).join('\n'));
  const bullets: string[] = [];
  for (const [n, text] of note.lines) if (/[a-z]{3}/.test(text)) bullets.push(`- ${text.trim().split(/\s+/).slice(0, 12).join(' ')} [L${n}]`);
  const summary = bullets.join('\n');
  const time = () => {
    const t0 = process.hrtime.bigint();
    checkStatements(parseStatements(summary), note);
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  time();
  return { copies, statements: bullets.length, ms: median(Array.from({ length: 5 }, time)) };
});
console.log(`long note, one statement per line (median of 5): ${scaled.map((r) => `x${r.copies} ${r.statements} statements ${r.ms.toFixed(0)} ms (x${(r.ms / scaled[0].ms).toFixed(2)})`).join(', ')}`);

const flag = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
if (flag('--verify') === 'rules+model') void modelPass();

/** The model check on the statements the rules passed, note by note, as the summary runs it. */
async function modelPass(): Promise<void> {
  const sim = process.argv.includes('--sim') ? await startSim() : undefined;
  const baseUrl = sim?.baseUrl ?? flag('--base-url');
  if (!baseUrl) throw new Error('--verify rules+model needs --base-url URL (or --sim)');
  const { client } = makeClient({ 'base-url': baseUrl, model: flag('--model') });
  const t0 = Date.now();
  const combined: Result[] = [];
  let requests = 0;
  let tokens = 0;
  const misses = { unreadable: 0, failed: 0, skipped: 0 };
  for (const name of new Set(results.map((r) => r.item.note))) {
    const rs = results.filter((r) => r.item.note === name);
    const { statements, check } = await verifyWithModel(client, rs.map((r) => r.checked), noteOf(name));
    rs.forEach((r, i) => combined.push({ item: r.item, checked: statements[i] }));
    requests += check.requests;
    tokens += check.usage?.totalTokens ?? 0;
    misses.unreadable += check.unreadable;
    misses.failed += check.failed;
    misses.skipped += check.skipped;
    if (check.stopped) throw new Error(`the model check stopped: ${check.stopped}`);
  }
  console.log(`\n${sim ? 'SIMULATOR (plumbing only, not a model): ' : ''}model ${(await client.model()).id} at ${baseUrl}`);
  table(combined, 'Rules + model check');
  console.log(`model check: ${requests} requests, ${tokens} tokens, ${((Date.now() - t0) / 1000).toFixed(1)} s; unreadable ${misses.unreadable}, failed ${misses.failed}, skipped ${misses.skipped}`);
  await sim?.stop();
}
