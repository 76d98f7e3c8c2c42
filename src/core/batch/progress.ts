// The one progress line of a batch (terminal and editor alike): how far, how fast, how long.

import type { BatchProgress } from './run';

const n = (x: number) => x.toLocaleString('en-US');

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** "120 of 10,000 · 2 failed · 3 done before · 812 tokens/s · about 14 min left". */
export function progressLine(p: BatchProgress, elapsedMs: number): string {
  const finished = p.ok + p.failed;
  const parts = [`${n(finished + p.skipped)} of ${n(p.total)}`];
  if (p.failed) parts.push(`${n(p.failed)} failed`);
  if (p.skipped) parts.push(`${n(p.skipped)} done before`);
  const seconds = elapsedMs / 1000;
  if (seconds >= 1 && p.completionTokens > 0) parts.push(`${n(Math.round(p.completionTokens / seconds))} tokens/s`);
  const left = p.total - p.skipped - finished;
  if (finished > 0 && left > 0 && seconds >= 1) parts.push(`about ${duration((elapsedMs / finished) * left)} left`);
  return parts.join(' · ');
}
