// Benchmark (not a test), in Chromium: the chat view's streaming renderer.
//  1. A ~4,000-token markdown answer streamed one token per chunk, rendered after EVERY token
//     (no frame coalescing: the worst case), vs rendering the final text once. Goal <= 3x.
//  2. The same as the view ships it: at most one render per animation frame, at a given number
//     of tokens per frame (2/frame ~ 120 tokens/s at 60 Hz), main-thread time vs once.
//  3. Time to open a 200-message conversation.
// Usage: npx tsx bench/chat-render.ts [--runs N]   (needs Chromium and test/e2e installed)

import * as esbuild from 'esbuild';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Conversation } from '../src/core/chat/types';
import { splitPieces } from '../test/sim/tokens';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 7;
const ROOT = path.resolve(__dirname, '..');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A clinical-style markdown answer of about `tokens` simulator tokens. */
function answer(tokens: number): string {
  const sections: string[] = [];
  for (let i = 1; splitPieces(sections.join('\n\n')).length < tokens; i++) {
    sections.push(
      `## Problem ${i}: type 2 diabetes with CKD stage 3a`,
      `HbA1c rose from **7.4 %** to **8.2 %** over six months; eGFR is 52 mL/min/1.73 m² and stable. ` +
        `Metformin can continue at a reduced dose; consider an SGLT2 inhibitor for renal protection [L${i * 3}].`,
      ['- metformin 500 mg twice daily (reduced)', '- empagliflozin 10 mg daily', '- recheck HbA1c and eGFR in 3 months', '  with a urine albumin-to-creatinine ratio'].join('\n'),
      '| test | value | date |\n|---|---|---|\n| HbA1c | 8.2 % | 2026-10-01 |\n| eGFR | 52 | 2026-10-01 |',
      '```text\nHbA1c 8.2 % -> intensify\neGFR 52 -> metformin max 1000 mg/day\n```',
    );
  }
  return sections.join('\n\n');
}

function conversation(messages: number): Conversation {
  const a = answer(300);
  return {
    id: 'bench',
    title: 'bench',
    created: 0,
    updated: 0,
    turns: Array.from({ length: messages }, (_, i) =>
      i % 2 === 0
        ? { id: `u${i}`, role: 'user' as const, text: `Question ${i}: what about the renal dosing of metformin in this patient?`, at: 0 }
        : { id: `a${i}`, role: 'assistant' as const, text: a, model: 'medgemma', finish: 'stop' as const, at: 0 },
    ),
  };
}

async function main(): Promise<void> {
  const bundle = await esbuild.build({
    entryPoints: [path.join(ROOT, 'bench/chat-render-page.ts')],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    minify: true,
    write: false,
  });
  const { launchChromium } = await import(pathToFileURL(path.join(ROOT, 'test/e2e/codeserver.mjs')).href);
  const browser = await launchChromium();
  try {
    const { page } = browser;
    await page.setContent('<!DOCTYPE html><html><body><div id="root"></div></body></html>');
    // The view's own style sheet: layout costs depend on it.
    await page.addStyleTag({ path: path.join(ROOT, 'media/chat.css') });
    await page.addScriptTag({ content: bundle.outputFiles[0].text });
    const text = answer(4000);
    const tokens = splitPieces(text);
    const conv = conversation(200);
    const r = { everyJs: [] as number[], every: [] as number[], shipped: [] as number[], once: [] as number[], onceTask: [] as number[], open: [] as number[] };
    // Main-thread time of everything (script, style, layout, paint), from Chromium's own counters.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const taskMs = async (): Promise<number> => {
      const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
      return (metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000;
    };
    const busy = async (fn: () => Promise<unknown>): Promise<[number, unknown]> => {
      const t0 = await taskMs();
      const v = await fn();
      return [(await taskMs()) - t0, v];
    };
    type B = { bench: Record<string, (...a: unknown[]) => number | Promise<number>> };
    for (let i = 0; i < RUNS + 1; i++) {
      const once = await page.evaluate((t: string) => (window as unknown as B).bench.renderOnce(t), text);
      const every = await page.evaluate((ts: string[]) => (window as unknown as B).bench.streamEveryToken(ts), tokens);
      const everyJs = await page.evaluate((ts: string[]) => (window as unknown as B).bench.streamEveryToken(ts, false), tokens);
      const [shippedTask, frames] = await busy(() => page.evaluate((ts: string[]) => (window as unknown as B).bench.streamAsShipped(ts, 2), tokens));
      const [idleTask] = await busy(() => page.evaluate((n: number) => (window as unknown as B).bench.idleFrames(n), frames as number));
      const [onceTask] = await busy(() => page.evaluate((t: string) => (window as unknown as B).bench.renderOnceFramed(t), text));
      const shipped = shippedTask - idleTask;
      const open = await page.evaluate((c: Conversation) => (window as unknown as B).bench.openConversation(c), conv);
      if (i === 0) continue; // warm-up
      r.once.push(once as number);
      r.every.push(every as number);
      r.everyJs.push(everyJs as number);
      r.shipped.push(shipped);
      r.onceTask.push(onceTask);
      r.open.push(open as number);
    }
    const once = median(r.once);
    const f = (x: number) => `${x.toFixed(1)} ms`;
    console.log(`answer: ${tokens.length} tokens, ${text.length} characters; ${RUNS} runs, medians`);
    console.log(`render the final text once:                ${f(once)}`);
    console.log(`stream, render after every token:          ${f(median(r.every))}  (${(median(r.every) / once).toFixed(2)}x once; goal <= 3x)`);
    console.log(`  the same without forcing layout per token: ${f(median(r.everyJs))}  (${(median(r.everyJs) / once).toFixed(2)}x once)`);
    const onceTask = median(r.onceTask);
    console.log(`as the view ships it, main-thread time (Chromium TaskDuration, frame loop's idle cost subtracted):`);
    console.log(`  render once + paint:                     ${f(onceTask)}`);
    console.log(`  stream, 1 render/frame, 2 tokens/frame:  ${f(median(r.shipped))}  (${(median(r.shipped) / onceTask).toFixed(2)}x once)`);
    // Does the cost per token grow with the answer? The same stress at a quarter of the length.
    const short = splitPieces(answer(1000));
    const perToken = async (ts: string[]) => {
      const xs: number[] = [];
      for (let i = 0; i < RUNS; i++) xs.push((await page.evaluate((t: string[]) => (window as unknown as B).bench.streamEveryToken(t, true), ts)) as number);
      return (1000 * median(xs)) / ts.length;
    };
    const [p1, p4] = [await perToken(short), await perToken(tokens)];
    console.log(`per token (render + layout after every token): ${p1.toFixed(0)} µs at ${short.length} tokens, ${p4.toFixed(0)} µs at ${tokens.length} tokens`);
    console.log(`open a 200-message conversation:           ${f(median(r.open))}`);
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
