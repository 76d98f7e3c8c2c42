// Benchmark (not a test), in Chromium: the chat view's streaming renderer.
//  1. The measure: a ~4,000-token markdown answer streamed one token per chunk (one
//     message event per token, as the host sends them, as fast as the page takes them) and
//     rendered as the view ships it, until the final text is painted -- against taking the
//     same messages and rendering the final text once. Wall time and main-thread time.
//     Goal <= 3x.
//  2. Worst case: a render plus a forced layout after EVERY token; and whether its cost per
//     token grows with the answer (it must not).
//  3. Real time: 2 tokens per animation frame (~120 tokens/s at 60 Hz), main-thread time
//     (script, style, layout, paint) against once.
//  4. Time to open a 200-message conversation.
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
    // The view's own style sheets, in its order: layout costs depend on them.
    await page.addStyleTag({ path: path.join(ROOT, 'media/markdown.css') });
    await page.addStyleTag({ path: path.join(ROOT, 'media/chat.css') });
    await page.addScriptTag({ content: bundle.outputFiles[0].text });
    const text = answer(4000);
    const tokens = splitPieces(text);
    const conv = conversation(200);
    const r = { once: [] as number[], onceWall: [] as number[], onceTask: [] as number[], baseWall: [] as number[], baseTask: [] as number[], msgWall: [] as number[], msgTask: [] as number[], every: [] as number[], everyJs: [] as number[], shipped: [] as number[], open: [] as number[] };
    // Main-thread time of everything (script, style, layout, paint), from Chromium's own counters.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const taskMs = async (): Promise<number> => {
      const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
      return (metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000;
    };
    const busy = async <T>(fn: () => Promise<T>): Promise<[number, T]> => {
      const t0 = await taskMs();
      const v = await fn();
      return [(await taskMs()) - t0, v];
    };
    type B = { bench: Record<string, (...a: unknown[]) => number | Promise<number>> };
    const call = (name: string, arg: unknown, arg2?: unknown) =>
      page.evaluate(([n, a, b]: [string, unknown, unknown]) => (window as unknown as B).bench[n](a, b), [name, arg, arg2] as [string, unknown, unknown]) as Promise<number>;
    for (let i = 0; i < RUNS + 1; i++) {
      const once = await call('renderOnce', text);
      const [onceTask, onceWall] = await busy(() => call('renderOnceFramed', text));
      const [baseTask, baseWall] = await busy(() => call('streamAsMessages', tokens, true));
      const [msgTask, msgWall] = await busy(() => call('streamAsMessages', tokens));
      const every = await call('streamEveryToken', tokens);
      const everyJs = await call('streamEveryToken', tokens, false);
      const [shippedTask, frames] = await busy(() => call('streamAsShipped', tokens, 2));
      const [idleTask] = await busy(() => call('idleFrames', frames));
      const open = await call('openConversation', conv);
      if (i === 0) continue; // warm-up
      Object.entries({ once, onceWall, onceTask, baseWall, baseTask, msgWall, msgTask, every, everyJs, shipped: shippedTask - idleTask, open }).forEach(([k, v]) => r[k as keyof typeof r].push(v));
    }
    const m = Object.fromEntries(Object.entries(r).map(([k, v]) => [k, median(v)])) as Record<keyof typeof r, number>;
    const f = (x: number) => `${x.toFixed(1)} ms`;
    const x = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
    console.log(`answer: ${tokens.length} tokens, ${text.length} characters; ${RUNS} runs, medians`);
    console.log(`render the final text once (+ layout):         ${f(m.once)}`);
    console.log(`   and paint it (wall / main-thread time):       ${f(m.onceWall)} / ${f(m.onceTask)}`);
    console.log(`1. one message per token to the final paint: streamed as shipped vs the same messages rendered once at the end`);
    console.log(`   wall time:        ${f(m.msgWall)} vs ${f(m.baseWall)}  (${x(m.msgWall, m.baseWall)}; goal <= 3x)`);
    console.log(`   main-thread time: ${f(m.msgTask)} vs ${f(m.baseTask)}  (${x(m.msgTask, m.baseTask)}; goal <= 3x)`);
    console.log(`2. render + forced layout after every token:  ${f(m.every)}  (${x(m.every, m.once)} once)`);
    console.log(`   the same without forcing layout:           ${f(m.everyJs)}  (${x(m.everyJs, m.once)} once)`);
    // Does the cost per token grow with the answer? The same stress at a quarter of the length.
    const short = splitPieces(answer(1000));
    const perToken = async (ts: string[]) => {
      const xs: number[] = [];
      for (let i = 0; i < RUNS; i++) xs.push(await call('streamEveryToken', ts, true));
      return (1000 * median(xs)) / ts.length;
    };
    const [p1, p4] = [await perToken(short), await perToken(tokens)];
    console.log(`   per token: ${p1.toFixed(0)} µs at ${short.length} tokens, ${p4.toFixed(0)} µs at ${tokens.length} tokens`);
    console.log(`3. real time, 2 tokens/frame, main-thread time (idle frame loop subtracted): ${f(m.shipped)}  (${x(m.shipped, m.onceTask)} once + paint)`);
    console.log(`4. open a 200-message conversation:           ${f(m.open)}`);
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
