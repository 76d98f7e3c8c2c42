// Writes a dataset as training files. Two formats (docs/fine-tuning-formats.md says where each
// comes from):
// - hf-chat: the conversational vision format TRL's SFTTrainer takes and Google's MedGemma
//   fine-tuning notebook builds: {"messages": [{"role": "user", "content": [{"type": "image"},
//   {"type": "text", "text": …}]}, {"role": "assistant", …}], "images": ["images/….png"]}, the
//   images copied beside; plus, for every example a clinician corrected, TRL's conversational
//   preference rows {"prompt", "chosen", "rejected", "images"} in preference/.
// - vertex: the JSONL Vertex AI's tuning of open models (Gemma) takes, {"messages": [{"role":
//   "user", "content": "…"}, {"role": "assistant", "content": "…"}]}: text only, so examples
//   with images are left out (and said so).
// The split is reproducible (the pseudonymizer's seeded generator): the same dataset, share and
// seed give the same files.

import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { seededRng } from '../privacy/surrogates';
import { writeAtomic } from '../write-atomic';
import { type Example, imagesOf } from './example';
import { writeCard } from './card';
import { DatasetError } from './store';
import type { Excluded } from './validate';

export const EXPORT_FORMATS = ['hf-chat', 'vertex'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions {
  format: ExportFormat;
  /** The dataset folder (where the images are). */
  dir: string;
  /** A new or empty folder. */
  out: string;
  /** Share of examples for training (0..1]; examples marked for validation always go to validation. */
  train: number;
  seed: number;
  /** Left out by validation, for the card. */
  excluded: readonly Excluded[];
  /** Whether the token counts behind the length check were the server's. */
  exactCounts?: boolean;
  contextLength?: number;
  now?: Date;
}

export interface ExportResult {
  train: number;
  validation: number;
  /** Corrected examples written as preference pairs (hf-chat). */
  preference: number;
  images: number;
  /** Left out by this format (vertex: examples with images), with the reason. */
  skipped: Excluded[];
  files: string[];
}

/**
 * Training and validation examples: the marked ones go to validation, and as many more as the
 * share asks for are drawn from the rest (a seeded shuffle of them in id order).
 */
export function splitExamples(examples: readonly Example[], train: number, seed: number): { train: Example[]; validation: Example[] } {
  if (!(train > 0 && train <= 1)) throw new RangeError('the training share must be more than 0 and at most 1');
  const marked = examples.filter((e) => e.split === 'validation');
  const rest = examples.filter((e) => e.split !== 'validation').sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const want = Math.max(0, Math.round(examples.length * (1 - train)) - marked.length);
  const rnd = seededRng(seed);
  for (let i = rest.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [rest[i], rest[j]] = [rest[j], rest[i]];
  }
  const validation = new Set([...marked, ...rest.slice(0, want)]);
  return { train: examples.filter((e) => !validation.has(e)), validation: examples.filter((e) => validation.has(e)) };
}

type HfPart = { type: 'image' } | { type: 'text'; text: string };

function hfTurns(e: Example): Array<{ role: string; content: HfPart[] }> {
  return e.messages.map((m) => ({ role: m.role, content: m.content.map((p): HfPart => (p.type === 'image' ? { type: 'image' } : { type: 'text', text: p.text })) }));
}

const answer = (text: string) => [{ role: 'assistant', content: [{ type: 'text', text }] }];

function hfRow(e: Example): object {
  return { id: e.id, kind: e.kind, messages: [...hfTurns(e), ...answer(e.chosen)], images: imagesOf(e) };
}

function preferenceRow(e: Example): object {
  return { id: e.id, kind: e.kind, prompt: hfTurns(e), chosen: answer(e.chosen), rejected: answer(e.rejected ?? ''), images: imagesOf(e) };
}

function vertexRow(e: Example): object {
  const text = (m: Example['messages'][number]) => m.content.map((p) => (p.type === 'text' ? p.text : '')).join('\n');
  return { messages: [...e.messages.map((m) => ({ role: m.role, content: text(m) })), { role: 'assistant', content: e.chosen }] };
}

const jsonl = (rows: readonly object[]) => rows.map((r) => `${JSON.stringify(r)}\n`).join('');

async function emptyFolder(out: string): Promise<void> {
  const entries = await fs.readdir(out).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [];
    if (e.code === 'ENOTDIR') throw new DatasetError(`${out} is a file: give a new folder for the export`);
    throw e;
  });
  if (entries.length) throw new DatasetError(`${out} is not empty: give a new folder for the export, so nothing in it is overwritten`);
  await fs.mkdir(out, { recursive: true });
}

export async function exportDataset(examples: readonly Example[], o: ExportOptions): Promise<ExportResult> {
  const skipped: Excluded[] = [];
  let usable = [...examples];
  if (o.format === 'vertex') {
    usable = usable.filter((e) => {
      if (!imagesOf(e).length) return true;
      skipped.push({ id: e.id, why: "it has an image, and Vertex AI's tuning of open models takes text only" });
      return false;
    });
  }
  if (!usable.length) throw new DatasetError(`No example can be exported as ${o.format}${skipped.length ? ` (${skipped.length} left out: ${skipped[0].why})` : ''}.`);
  await emptyFolder(o.out);
  const split = splitExamples(usable, o.train, o.seed);
  const files: string[] = [];
  const write = async (rel: string, text: string) => {
    await fs.mkdir(path.dirname(path.join(o.out, rel)), { recursive: true });
    await writeAtomic(path.join(o.out, rel), text);
    files.push(rel);
  };
  const row = o.format === 'vertex' ? vertexRow : hfRow;
  await write('train.jsonl', jsonl(split.train.map(row)));
  if (split.validation.length) await write('validation.jsonl', jsonl(split.validation.map(row)));
  let preference = 0;
  let images = 0;
  if (o.format === 'hf-chat') {
    for (const [name, part] of Object.entries(split)) {
      const pairs = part.filter((e) => e.rejected !== undefined && e.rejected.trim() !== '');
      preference += pairs.length;
      if (pairs.length) await write(`preference/${name}.jsonl`, jsonl(pairs.map(preferenceRow)));
    }
    const all = new Set(usable.flatMap(imagesOf));
    if (all.size) await fs.mkdir(path.join(o.out, 'images'), { recursive: true });
    for (const img of all) {
      await fs.copyFile(path.join(o.dir, img), path.join(o.out, img));
      images++;
    }
  }
  const result: ExportResult = { train: split.train.length, validation: split.validation.length, preference, images, skipped, files };
  await write('README.md', writeCard({ ...o, split, result }));
  return result;
}
