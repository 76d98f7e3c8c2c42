// Benchmark (not a test): a 2,000-token answer streamed through the project's client and
// through the raw openai SDK, against the simulator at a high token rate, in the same run.
// Prints wall-time and time-to-first-token ratios; then peak memory while summarizing the
// long fixture note. Usage: npm run bench [-- --runs N]

import * as fs from 'node:fs';
import OpenAI from 'openai';
import { startSim } from '../test/sim';
import { makeConfig } from '../src/core/server/config';
import { noCredentials } from '../src/core/server/credentials';
import { MedGemmaClient } from '../src/core/server/service';
import type { ChatMessage } from '../src/core/server/types';
import { fixture } from '../test/fixtures';

const ANSWER_TOKENS = 2000;
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 15;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** A synthetic numbered note long enough that the simulator's grounded answer exceeds 2,000 tokens. */
function prompt(): ChatMessage[] {
  const lines = Array.from({ length: 400 }, (_, i) => `L${i + 1}: Day ${i % 30} creatinine ${1 + (i % 7) / 10} mg/dL, urine output adequate, on furosemide drip.`);
  return [{ role: 'user', content: `Summarize with citations.\n\n${lines.join('\n')}` }];
}

async function timeStream(run: (onToken: () => void) => Promise<void>): Promise<{ wall: number; ttft: number }> {
  const t0 = performance.now();
  let first = 0;
  await run(() => {
    if (!first) first = performance.now();
  });
  return { wall: performance.now() - t0, ttft: first - t0 };
}

async function main() {
  const sim = await startSim({ tokensPerSecond: 0, maxModelLen: 32768 });
  const messages = prompt();
  const client = new MedGemmaClient(makeConfig({ baseUrl: sim.baseUrl }), noCredentials);
  const raw = new OpenAI({ baseURL: sim.baseUrl, apiKey: 'x', maxRetries: 0 });
  const model = (await client.model()).id;

  const ours = async (onToken: () => void) => {
    const r = await client.chat({ messages, maxTokens: ANSWER_TOKENS, temperature: 0 }, { onDelta: onToken });
    if (r.finishReason !== 'length') throw new Error(`expected a cut at ${ANSWER_TOKENS} tokens, got ${r.finishReason}`);
  };
  const sdk = async (onToken: () => void) => {
    const s = await raw.chat.completions.create({ model, messages: messages as OpenAI.Chat.ChatCompletionMessageParam[], max_tokens: ANSWER_TOKENS, temperature: 0, stream: true, stream_options: { include_usage: true } });
    for await (const c of s) if (c.choices[0]?.delta?.content) onToken();
  };

  // Warm both paths (JIT, connection pool, model discovery), then alternate to spread noise evenly.
  await ours(() => {});
  await sdk(() => {});
  const a: Array<{ wall: number; ttft: number }> = [];
  const b: Array<{ wall: number; ttft: number }> = [];
  for (let i = 0; i < RUNS; i++) {
    b.push(await timeStream(sdk));
    a.push(await timeStream(ours));
  }
  const wallA = median(a.map((x) => x.wall));
  const wallB = median(b.map((x) => x.wall));
  const ttftA = median(a.map((x) => x.ttft));
  const ttftB = median(b.map((x) => x.ttft));
  console.log(`stream ${ANSWER_TOKENS} tokens, ${RUNS} runs each, medians:`);
  console.log(`  raw openai SDK : wall ${wallB.toFixed(1)} ms, first token ${ttftB.toFixed(2)} ms`);
  console.log(`  MedGemmaClient : wall ${wallA.toFixed(1)} ms, first token ${ttftA.toFixed(2)} ms`);
  console.log(`  wall ratio ${(wallA / wallB).toFixed(3)}x (goal <= 1.05x); extra time to first token ${(ttftA - ttftB).toFixed(2)} ms (goal <= 2 ms)`);

  await benchLongNote();
  await sim.stop();
}

async function benchLongNote() {
  const file = fixture('notes', 'icu-course-long.txt');
  const { summarizeNote } = await import('../src/core/notes/summarize');
  const { findTemplate } = await import('../src/core/notes/templates');
  const text = fs.readFileSync(file, 'utf8');
  for (const ctx of [8192, 32768]) {
    const sim = await startSim({ maxModelLen: ctx });
    const client = new MedGemmaClient(makeConfig({ baseUrl: sim.baseUrl }), noCredentials);
    global.gc?.();
    const base = process.memoryUsage().rss;
    let peak = base;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const t0 = performance.now();
    const r = await summarizeNote(client, { text, template: findTemplate('brief')!, maxTokens: 1024, temperature: 0 }, {});
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().rss);
    console.log(
      `long note (${text.length} chars) at ${ctx} context: ${r.parts} parts, ${r.statements.length} statements, ${((performance.now() - t0) / 1000).toFixed(2)} s, peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB (+${((peak - base) / 2 ** 20).toFixed(0)} MiB over the idle process)`,
    );
    await sim.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
