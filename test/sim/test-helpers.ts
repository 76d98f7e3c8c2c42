// Small helpers shared by the simulator's own tests (real HTTP through Node's fetch).

import type { Sim } from './types';
import { fixture } from '../fixtures';

export const NOTES_DIR = fixture('notes');

export function chat(sim: Sim, body: Record<string, unknown>, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
  return fetch(`${sim.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'medgemma', ...body }),
    signal,
  });
}

export function userMessage(text: string): { role: string; content: string }[] {
  return [{ role: 'user', content: text }];
}

/** The `data:` payloads of an SSE body, in order (the raw text, not parsed). */
export function sseData(text: string): string[] {
  return text
    .split('\n\n')
    .filter((e) => e.trim() !== '')
    .map((e) => {
      if (!e.startsWith('data: ')) throw new Error(`not a data event: ${JSON.stringify(e)}`);
      return e.slice('data: '.length);
    });
}

/** Parsed events, with `[DONE]` kept as the string. */
export async function readEvents(res: Response): Promise<any[]> {
  return sseData(await res.text()).map((d) => (d === '[DONE]' ? d : JSON.parse(d)));
}

/** The answer text of a parsed stream. */
export function streamedText(events: any[]): string {
  return events
    .filter((e) => typeof e === 'object' && e.choices?.length)
    .map((e) => e.choices[0].delta?.content ?? '')
    .join('');
}

export function numberLines(text: string, first = 1): string {
  return text
    .split('\n')
    .map((l, i) => `L${first + i}: ${l}`)
    .join('\n');
}
