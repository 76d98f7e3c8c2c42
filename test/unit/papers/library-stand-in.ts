// The papers library's stand-in PDF reader and what its tests share: a work folder per test,
// documents described as JSON (the stand-in reads the description as the file), the records an
// indexed, unread or lost paper gets, and readers of what a commit left on disk.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXTRACTOR_VERSION, type InProcessReader } from '../../../src/core/papers/extract';
import { PaperLibrary, paperIdFor } from '../../../src/core/papers/library';
import { lostReason } from '../../../src/core/papers/manifest';
import type { PaperRecord } from '../../../src/core/papers/types';

export const root = fs.mkdtempSync(path.join(os.tmpdir(), 'medgemma-libcases-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
let made = 0;

export type Page = { text?: string[]; ocr?: boolean; broken?: boolean };
// What the stand-in reader reports for a file (whose bytes are this, as JSON): `password` encrypts
// it, `error` fails it like pdf.js (name, message, code), `stall` (worker stand-in) sends the metadata only.
export type Doc = { title?: string; author?: string; date?: string; pages: Page[]; password?: string; error?: { name: string; message: string; code?: number }; stall?: boolean };
export const TITLE = 'Warfarin dosing in older adults';
export const doc = (text: string, title = TITLE): Doc => ({ title, author: 'Ann Smith; Bob Jones', date: 'D:2015', pages: [{ text: [text] }] });
export const META = (title = TITLE, pages = 1) => ({ title, authors: ['Ann Smith', 'Bob Jones'], year: 2015, pages });
export const pdfError = (name: string, message: string, code?: number) => Object.assign(new Error(message), { name, code });


/** An in-process reader of stand-in documents that records every call (the title read, the password tried). */
export class Reader {
  readonly calls: Array<{ title?: string; password?: string }> = [];
  during?: (d: Doc) => void | Promise<void>;
  read: InProcessReader = async (req, post) => {
    const d = JSON.parse(Buffer.from(req.data).toString('utf8')) as Doc;
    this.calls.push({ title: d.title, password: req.password });
    await this.during?.(d);
    if (d.error) throw pdfError(d.error.name, d.error.message, d.error.code);
    if (d.password !== undefined && req.password !== d.password) throw pdfError('PasswordException', 'No password given', req.password === undefined ? 1 : 2);
    post({ type: 'meta', pages: d.pages.length, title: d.title, author: d.author, date: d.date });
    d.pages.forEach((p, i) => post({ type: 'page', page: i + 1, height: 792, lines: (p.text ?? []).map((text, j) => ({ text, x: 72, y: 600 - 14 * j, size: 11 })), ocr: !!p.ocr, broken: !!p.broken }));
  };
}

export type OnDisk = { version: number; commit: string; generation: number; index?: string; segments?: string[]; papers: PaperRecord[] };
export const manifestOf = (dir: string): OnDisk => JSON.parse(fs.readFileSync(path.join(dir, 'library.json'), 'utf8'));

/** A fresh work folder with an index folder (not created yet) and a library on it (reading in-process unless given a worker). */
export function setup(opts: { workerFile?: string; timeLimitMs?: number; extractWorkers?: number } = {}) {
  const work = fs.mkdirSync(path.join(root, `t${made++}`), { recursive: true })!;
  const [dir, reader] = [path.join(work, 'index'), new Reader()];
  const lib = new PaperLibrary(dir, opts.workerFile ? opts : { inProcess: reader.read, ...opts });
  const put = (name: string, d: Doc) => (fs.writeFileSync(path.join(work, name), JSON.stringify(d)), path.join(work, name));
  return { work, dir, reader, lib, put };
}
export const fresh = (dir: string, reader = new Reader()) => new PaperLibrary(dir, { inProcess: reader.read });
/** A library with a.pdf attached (its reader's calls cleared), and the manifest after. */
export async function attached(text = 'Aspirin zqaxv.', title = TITLE, opts: Parameters<typeof setup>[0] = {}) {
  const s = setup(opts);
  const [rec] = await s.lib.add([s.put('a.pdf', doc(text, title))]);
  s.reader.calls.length = 0;
  return { ...s, f: rec.file, rec, before: manifestOf(s.dir) };
}

/** A value as JSON keeps it (undefined fields dropped). */
export const plain = <T>(x: T): T => JSON.parse(JSON.stringify(x));
export const sha = (f: string) => createHash('sha256').update(fs.readFileSync(f)).digest('hex');
export const ls = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);
export const names = (recs: Array<{ file: string }>) => recs.map((r) => path.basename(r.file));
export const segmentOf = (chunkFile: string) => chunkFile.replace(/\.json$/, '.bm25');
export const exists = (dir: string, ...parts: string[]) => fs.existsSync(path.join(dir, ...parts));
export const read = (dir: string, ...parts: string[]) => fs.readFileSync(path.join(dir, ...parts), 'utf8');
export const writeManifest = (dir: string, m: unknown) => fs.writeFileSync(path.join(dir, 'library.json'), typeof m === 'string' ? m : JSON.stringify(m));
/** Every file under dir, as text. */
export const allText = (dir: string) => fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => fs.readFileSync(path.join(e.parentPath, e.name), 'latin1')).join('\n');
export const CACHE_NAME = (f: string) => `${sha(f)}-${EXTRACTOR_VERSION.replaceAll('/', '_')}.json`;
export const firstFile = async (lib: PaperLibrary, query: string) => (await lib.search(query))[0]?.paper.file;

/** The record an indexed stand-in paper gets (without chunkFile: add() returns it so). */
export const indexedRec = (file: string, meta = META(), chunks = 1, extra: Partial<PaperRecord> = {}): PaperRecord => ({ id: paperIdFor(file), file, extractor: EXTRACTOR_VERSION, chunks, hash: sha(file), size: fs.statSync(file).size, mtimeMs: fs.statSync(file).mtimeMs, meta, state: 'indexed', ...extra });
/** A record that failed before its bytes were read. */
export const unreadRec = (file: string, reason: string): PaperRecord => ({ id: paperIdFor(file), file, extractor: EXTRACTOR_VERSION, chunks: 0, hash: '', size: 0, mtimeMs: 0, state: 'failed', reason });
export const lostRec = (rec: PaperRecord) => plain({ ...rec, state: 'failed', reason: lostReason(rec.file), chunks: 0, chunkFile: undefined });
