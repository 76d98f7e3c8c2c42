// Batches through an offline engine, in rounds. `prepare` writes the requests every note needs
// first (a short note: its summary; a long one: each part) and a manifest beside them;
// `collect` reads the engine's answers, replays each note's summary over them with the same
// code as the online road (OfflineChat), records every note that is complete, checked and
// cited exactly as online, and writes the next round's requests for the others (the combine
// step of a long note, the model check). The manifest keeps the settings both sides must share
// and the output files read so far, so each round's collect needs only the new output.

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findTemplate } from '../notes/templates';
import type { VerifyMode } from '../notes/verify/verify';
import { jsonLine } from '../terminal-text';
import { readOutputs, requestLine, type EngineFormat } from './engine-format';
import { BatchInputError } from './inputs';
import { OfflineChat, type EngineAnswer, type RequestBody } from './offline-chat';
import { recordKey, type ResultsFile } from './results';
import { readInput, resultRecord } from './run';
import { SUMMARY_KEY_FIELDS, summarizeJob } from './summarize-job';

export interface OfflineSettings {
  format: EngineFormat;
  /** What the requests name as `model` (vLLM: the served model name; Vertex ignores it). */
  model: string;
  contextLength: number;
  template: string;
  maxTokens: number;
  temperature: number;
  verify: VerifyMode;
}

export interface Manifest extends OfflineSettings {
  version: 1;
  /** The notes, as given to prepare, with the content they had. */
  notes: { file: string; sha256: string }[];
  /** Request files written, round 1 first, relative to the manifest's folder. */
  rounds: string[];
  /** Engine output files read by collect so far (absolute). */
  outputs: string[];
  /** Indexes (in `notes`) of the notes collect has recorded, ok or failed: not replayed again. */
  recorded: number[];
}

export const manifestPath = (requests: string) => `${requests}.medgemma.json`;

/** What a note's replay came to: done (its record), or the requests it needs next. */
type Replay = { record: Record<string, unknown>; ok: boolean } | { needs: Map<string, RequestBody> };

async function replay(settings: OfflineSettings, answers: ReadonlyMap<string, EngineAnswer>, file: string, bytes: Buffer, sha256: string): Promise<Replay> {
  const chat = new OfflineChat(answers, settings);
  const job = summarizeJob(chat, { ...settings, template: findTemplate(settings.template)! });
  let outcome;
  try {
    outcome = await (await job.prepare(file, bytes))(new AbortController().signal);
  } catch (e) {
    outcome = { ok: false, record: {}, error: e };
  }
  if (chat.waiting || chat.pending.size > 0) return { needs: chat.pending };
  return { record: resultRecord(file, sha256, job, outcome), ok: outcome.ok };
}

/** Appends each request once (several notes may need the same one). */
class RequestWriter {
  private readonly ids = new Set<string>();
  private fd?: number;
  constructor(
    readonly file: string,
    private readonly format: EngineFormat,
  ) {}
  get count(): number {
    return this.ids.size;
  }
  add(needs: Map<string, RequestBody>): void {
    for (const [id, body] of needs) {
      if (this.ids.has(id)) continue;
      this.ids.add(id);
      this.fd ??= fs.openSync(this.file, 'w');
      fs.writeSync(this.fd, `${jsonLine(requestLine(this.format, id, body))}\n`);
    }
  }
  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
  }
}

function writeManifest(requests: string, m: Manifest): void {
  const target = manifestPath(requests);
  fs.writeFileSync(`${target}.tmp`, `${JSON.stringify(m, null, 2)}\n`);
  fs.renameSync(`${target}.tmp`, target);
}

export function readManifest(requests: string): Manifest {
  const file = manifestPath(requests);
  let m: Manifest;
  try {
    m = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new BatchInputError(
      code === 'ENOENT'
        ? `${file} does not exist: --requests must name the file "medgemma batch prepare" wrote (its manifest lies beside it)`
        : `${file} cannot be read (${code ?? 'not valid JSON'}): run "medgemma batch prepare" again`,
    );
  }
  if (m.version !== 1 || !Array.isArray(m.notes) || !Array.isArray(m.rounds) || !findTemplate(m.template)) {
    throw new BatchInputError(`${file} is not a manifest this version of medgemma wrote: run "medgemma batch prepare" again`);
  }
  return m;
}

export interface PrepareSummary {
  notes: number;
  requests: number;
  /** Notes that cannot be summarized as they are (empty, binary, too large): collect records them. */
  failed: { file: string; error: string }[];
}

export async function prepareOffline(files: readonly string[], settings: OfflineSettings, requests: string): Promise<PrepareSummary> {
  const writer = new RequestWriter(requests, settings.format);
  const manifest: Manifest = { version: 1, ...settings, notes: [], rounds: [path.basename(requests)], outputs: [], recorded: [] };
  const failed: PrepareSummary['failed'] = [];
  try {
    fs.writeFileSync(requests, '');
    for (const file of files) {
      let bytes: Buffer;
      try {
        bytes = await readInput(file, { maxBytes: 10 * 1024 * 1024, noun: 'note' });
      } catch (e) {
        manifest.notes.push({ file, sha256: '' });
        failed.push({ file, error: (e as Error).message });
        continue;
      }
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      manifest.notes.push({ file, sha256 });
      const r = await replay(settings, new Map(), file, bytes, sha256);
      if ('needs' in r) writer.add(r.needs);
      else failed.push({ file, error: String(r.record.error) });
    }
  } finally {
    writer.close();
  }
  writeManifest(requests, manifest);
  return { notes: files.length, requests: writer.count, failed };
}

export interface CollectSummary {
  notes: number;
  /** Recorded by this collect. */
  ok: number;
  failed: number;
  /** Done in an earlier run onto the same results file, skipped. */
  skipped: number;
  /** Recorded by an earlier collect of these requests. */
  recordedBefore: number;
  /** Notes that need another round, and where its requests are. */
  waiting: number;
  next?: { file: string; requests: number; round: number };
  outputLines: number;
  unreadableLines: number;
}

export async function collectOffline(requests: string, outputs: readonly string[], results: ResultsFile): Promise<CollectSummary> {
  const manifest = readManifest(requests);
  const all = [...new Set([...manifest.outputs, ...outputs.map((o) => path.resolve(o))])];
  for (const o of all) if (!fs.existsSync(o)) throw new BatchInputError(`the engine output ${o} does not exist`);
  const answers = new Map<string, EngineAnswer>();
  const { lines, unreadable } = await readOutputs(all, answers);
  const round = manifest.rounds.length + 1;
  const nextFile = path.join(path.dirname(requests), `${path.basename(requests, '.jsonl')}-${round}.jsonl`);
  const writer = new RequestWriter(nextFile, manifest.format);
  const recorded = new Set(manifest.recorded ?? []);
  const s: CollectSummary = { notes: manifest.notes.length, ok: 0, failed: 0, skipped: 0, recordedBefore: recorded.size, waiting: 0, outputLines: lines, unreadableLines: unreadable };
  const fields = { template: manifest.template, model: manifest.model };
  try {
    for (const [i, note] of manifest.notes.entries()) {
      if (recorded.has(i)) continue;
      if (note.sha256 && results.done.has(recordKey({ file: note.file, sha256: note.sha256, ...fields }, SUMMARY_KEY_FIELDS))) {
        s.skipped += 1;
        continue;
      }
      let bytes: Buffer;
      let record: Record<string, unknown>;
      let ok = false;
      try {
        bytes = await readInput(note.file, { maxBytes: 10 * 1024 * 1024, noun: 'note' });
        const sha256 = createHash('sha256').update(bytes).digest('hex');
        if (sha256 !== note.sha256) throw new Error(`${note.file} changed after "batch prepare": its requests no longer match it. Run prepare again for it`);
        const r = await replay(manifest, answers, note.file, bytes, sha256);
        if ('needs' in r) {
          writer.add(r.needs);
          s.waiting += 1;
          continue;
        }
        ({ record, ok } = r);
      } catch (e) {
        record = resultRecord(note.file, note.sha256, { fields }, { ok: false, record: {}, error: e });
      }
      results.append(record);
      recorded.add(i);
      if (ok) s.ok += 1;
      else s.failed += 1;
    }
  } finally {
    writer.close();
  }
  manifest.outputs = all;
  manifest.recorded = [...recorded].sort((a, b) => a - b);
  if (writer.count > 0) {
    if (!manifest.rounds.includes(path.basename(nextFile))) manifest.rounds.push(path.basename(nextFile));
    s.next = { file: nextFile, requests: writer.count, round };
  }
  writeManifest(requests, manifest);
  return s;
}
