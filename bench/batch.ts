// Benchmark (not a test): `medgemma batch summarize` as a real process (the bundled CLI)
// against the simulator, which paces every answer at a per-token delay the way a GPU does and
// runs concurrent requests side by side (a GPU batch). Part 1: throughput at concurrency 1, 4,
// 8, 16 against the ideal (N times concurrency 1, measured in the same run). Part 2: peak
// memory over 10,000 notes, which must stay flat (nothing held beyond the items in flight).
// Usage: npm run bench:batch [-- --notes 200] [--tps 100] [--memory-notes 10000] [--skip-memory]

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../test/cli-process';
import { startSim } from '../test/sim';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const NOTES = arg('notes', 200);
const TPS = arg('tps', 100);
const MEMORY_NOTES = arg('memory-notes', 10_000);

/** A short ED note: the simulator's answer is one cited bullet per line (about 70 tokens). */
function note(i: number): string {
  return [
    `ED NOTE ${i}`,
    `Chest pressure for ${1 + (i % 5)} hours, radiating to the left arm.`,
    `Troponin 0.0${1 + (i % 8)} ng/mL.`,
    'CT angiogram: no evidence of pulmonary embolism.',
    'Started aspirin 324 mg.',
    '',
  ].join('\n');
}

function writeNotes(dir: string, n: number): void {
  fs.mkdirSync(dir, { recursive: true });
  for (let i = 0; i < n; i++) fs.writeFileSync(path.join(dir, `note-${String(i).padStart(5, '0')}.txt`), note(i));
}

async function throughput(root: string): Promise<void> {
  const notes = path.join(root, 'notes');
  writeNotes(notes, NOTES);
  const sim = await startSim({ tokensPerSecond: TPS, ttftMs: 30 });
  try {
    console.log(`Part 1: ${NOTES} notes, simulator at ${TPS} tokens/s per request, 30 ms to first token\n`);
    console.log('| concurrency | wall | notes/s | generated tokens/s | speed-up over 1 | ideal | of ideal |');
    console.log('|---|---|---|---|---|---|---|');
    let base = 0;
    for (const c of [1, 4, 8, 16]) {
      const out = path.join(root, `results-${c}.jsonl`);
      const tokens0 = sim.requests.length;
      const r = await runCli(['batch', 'summarize', notes, '--out', out, '--concurrency', String(c), '--base-url', sim.baseUrl], { timeoutMs: 3_600_000 });
      if (r.code !== 0) throw new Error(`concurrency ${c}: exit ${r.code}: ${r.stderr}`);
      const lines = fs.readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
      const generated = lines.reduce((n, l) => n + (l.usage?.completionTokens ?? 0), 0);
      const rate = NOTES / (r.ms / 1000);
      if (c === 1) base = rate;
      const speedup = rate / base;
      console.log(`| ${c} | ${(r.ms / 1000).toFixed(1)} s | ${rate.toFixed(2)} | ${Math.round(generated / (r.ms / 1000))} | ${speedup.toFixed(2)}× | ${c}× | ${((speedup / c) * 100).toFixed(0)} % |`);
      if (sim.requests.length - tokens0 < NOTES) throw new Error('fewer requests than notes');
    }
  } finally {
    await sim.stop();
  }
}

async function memory(root: string): Promise<void> {
  const notes = path.join(root, 'many');
  writeNotes(notes, MEMORY_NOTES);
  const sim = await startSim({ tokensPerSecond: 0 });
  try {
    const out = path.join(root, 'many.jsonl');
    const small = path.join(root, 'few');
    fs.mkdirSync(small);
    for (const f of fs.readdirSync(notes).slice(0, 100)) fs.copyFileSync(path.join(notes, f), path.join(small, f));
    const few = await runCli(['batch', 'summarize', small, '--out', path.join(root, 'few.jsonl'), '--concurrency', '16', '--base-url', sim.baseUrl], { timeoutMs: 3_600_000 });
    const r = await runCli(['batch', 'summarize', notes, '--out', out, '--concurrency', '16', '--base-url', sim.baseUrl], { timeoutMs: 3_600_000 });
    if (r.code !== 0 || few.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
    const size = fs.statSync(out).size;
    console.log(`\nPart 2: peak RSS of the CLI process, concurrency 16, simulator unpaced\n`);
    console.log('| notes | wall | peak RSS | results file |');
    console.log('|---|---|---|---|');
    console.log(`| 100 | ${(few.ms / 1000).toFixed(1)} s | ${few.peakMiB.toFixed(0)} MiB | |`);
    console.log(`| ${MEMORY_NOTES.toLocaleString('en-US')} | ${(r.ms / 1000).toFixed(1)} s | ${r.peakMiB.toFixed(0)} MiB (goal < 300) | ${(size / 1024 / 1024).toFixed(1)} MiB |`);
  } finally {
    await sim.stop();
  }
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'medgemma-bench-batch-'));
  try {
    await throughput(root);
    if (!process.argv.includes('--skip-memory')) await memory(root);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
