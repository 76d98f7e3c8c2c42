// `medgemma papers index|list|remove|search|ask`: the papers feature, headless.
// The index lives in --index DIR, else $MEDGEMMA_PAPERS_DIR, else the user data folder
// (Linux ~/.local/share/medgemma/papers, macOS ~/Library/Application Support/medgemma/papers,
// Windows %LOCALAPPDATA%\medgemma\papers).

import * as os from 'node:os';
import * as path from 'node:path';
import { askPapers } from '../core/papers/ask';
import { DenseIndex } from '../core/papers/dense/dense-index';
import { retrieve } from '../core/papers/dense/hybrid';
import { PaperLibrary } from '../core/papers/library';
import { shortLabel } from '../core/papers/meta';
import { attachZoteroItems, chosenItems, collectionsNamed, type ZoteroChoice } from '../core/papers/zotero/attach';
import { ZoteroError } from '../core/papers/zotero/catalog';
import { findDataDir, readZotero } from '../core/papers/zotero/read';
import { renderAnswerMarkdown, pageLabel } from '../core/papers/render';
import { isMedGemmaError, messageOf } from '../core/server/errors';
import type { MedGemmaClient } from '../core/server/service';
import { jsonText } from '../core/terminal-text';
import { EXIT, UsageError } from './exit';
import { makeClient, numberFlag, parse, serverConfig, type ServerFlags } from './options';
import { findPdfs } from '../core/papers/pdf-files';
import { rawOutput } from './terminal-output';

export const PAPERS_USAGE = `medgemma papers index <files|folders...> [--password P --store-decrypted] [--force] [--file-timeout S] [--threads N] [--index DIR]
  Extracts and indexes PDFs (folders: every .pdf inside), N at a time (default: one per core
  but one, 1 to 4), each line printed as its file ends. Unchanged files are skipped, so a run
  stopped with Ctrl+C goes on where it stopped. A file that takes longer than S seconds
  (default 30, plus 50 ms a page) is stopped and reported.
  Password-protected PDFs are skipped unless --store-decrypted says their decrypted text may be
  stored unencrypted in the index folder.
medgemma papers index --zotero [--collection NAME]... [--zotero-dir DIR] [--force] [--index DIR]
  Indexes the PDFs of your Zotero library (read-only) under Zotero's titles, authors, years,
  journals and DOIs: every item with a PDF, or those of the collections named (subcollections
  included; a name or "Parent / Child"). A re-run indexes only new and changed items.
  Data folder: --zotero-dir, else $MEDGEMMA_ZOTERO_DIR, else ~/Zotero (or Zotero 4's profile).
medgemma papers list [--json] [--index DIR]
medgemma papers remove <files...> [--index DIR]
medgemma papers search "<question>" [--k N] [--json] [--index DIR] [--embedding-model M [--embedding-url URL]]
  Ranked passages with pages; needs no server. --json: {"hits": [{file, title, pageStart, pageEnd, score, via, text}]}
medgemma papers ask "<question>" [--k N] [--max-tokens N] [--rerank] [--json] [--index DIR] [--embedding-model M [--embedding-url URL]] [server options]
  Answers from the indexed papers, citing (Author Year, p. N). --json: {answer, citations, warnings, retrieval, rerank}
  --rerank: MedGemma first scores the 20 passages found (one request more); the best go to
  the answer, those scored 0 are left out.
  --embedding-model (or $MEDGEMMA_EMBEDDING_MODEL): a text-embedding model the server (or the
  one at --embedding-url, $MEDGEMMA_EMBEDDING_URL) serves: passages are found by meaning as
  well as by their words. Each paper's passages are embedded once, kept in the index folder.
  Index folder: --index DIR, else $MEDGEMMA_PAPERS_DIR, else ${defaultPapersDir()}`;

export function defaultPapersDir(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(os.homedir(), 'AppData', 'Local'), 'medgemma', 'papers');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'medgemma', 'papers');
  return path.join(env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share'), 'medgemma', 'papers');
}

export function openLibrary(dir: string | undefined, env: NodeJS.ProcessEnv, fileTimeout?: number, threads?: number): PaperLibrary {
  // MEDGEMMA_PDF_WORKER: the bundled worker, for running the CLI from source (tests).
  return new PaperLibrary(path.resolve(dir ?? env.MEDGEMMA_PAPERS_DIR ?? defaultPapersDir(env)), {
    workerFile: env.MEDGEMMA_PDF_WORKER,
    timeLimitMs: fileTimeout === undefined ? undefined : fileTimeout * 1000,
    extractWorkers: threads,
  });
}

export async function papers(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parse(rest, {
    index: { type: 'string' },
    password: { type: 'string' },
    'store-decrypted': { type: 'boolean' },
    force: { type: 'boolean' },
    json: { type: 'boolean' },
    k: { type: 'string' },
    'max-tokens': { type: 'string' },
    'file-timeout': { type: 'string' },
    threads: { type: 'string' },
    zotero: { type: 'boolean' },
    'zotero-dir': { type: 'string' },
    collection: { type: 'string', multiple: true },
    'embedding-model': { type: 'string' },
    'embedding-url': { type: 'string' },
    rerank: { type: 'boolean' },
  });
  if (values.help || !sub || sub === 'help') {
    out.write(`${PAPERS_USAGE}\n`);
    return sub ? EXIT.ok : EXIT.usage;
  }
  const threads = numberFlag(values.threads, 'threads', 1, 16);
  if (threads !== undefined && !Number.isInteger(threads)) throw new UsageError(`--threads must be a whole number, not "${values.threads}"`);
  const library = openLibrary(values.index, env, numberFlag(values['file-timeout'], 'file-timeout', 1), threads);
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.on('SIGINT', onSigint);
  try {
    switch (sub) {
      case 'index':
        if (values.zotero) return await indexZotero(library, positionals, values, env, out, err, controller.signal);
        if (values.collection || values['zotero-dir']) throw new UsageError('--collection and --zotero-dir go with --zotero');
        return await index(library, positionals, values, out, err, controller.signal);
      case 'list': {
        const list = await library.list();
        if (values.json) out.write(`${jsonText({ papers: list.map(({ file, state, reason, meta, chunks }) => ({ file, state, reason, title: meta?.title, authors: meta?.authors, year: meta?.year, journal: meta?.journal, doi: meta?.doi, pages: meta?.pages, chunks })) })}\n`);
        else for (const p of list) out.write(`${p.state.padEnd(9)} ${p.file}${p.meta ? ` — ${p.meta.title} (${p.meta.pages} pages)` : ''}${p.reason ? `\n          ${p.reason}` : ''}\n`);
        if (!list.length && !values.json) err.write(`medgemma: no papers in ${library.dir}. Add some with "medgemma papers index <files>".\n`);
        return EXIT.ok;
      }
      case 'remove': {
        if (!positionals.length) throw new UsageError('give the files to remove from the index');
        for (const f of positionals) {
          const rec = await library.findByFile(f);
          if (rec && (await library.remove(rec.id))) out.write(`removed ${rec.file}\n`);
          else err.write(`medgemma: ${f} is not in the index.\n`);
        }
        return EXIT.ok;
      }
      case 'search':
        return await search(library, positionals, values, env, out, err, controller.signal);
      case 'ask': {
        const q = question(positionals);
        const k = numberFlag(values.k, 'k', 1, 50) ?? 8;
        const maxTokens = numberFlag(values['max-tokens'], 'max-tokens', 16) ?? 1024;
        await requirePapers(library);
        const { client, note } = makeClient(values, env);
        if (note) err.write(`medgemma: ${note}\n`);
        // Reach the server first: an unreachable or misconfigured server is named as such.
        if ((await library.search(q, 1)).length) await client.model('text', controller.signal);
        const dense = await denseIndex(library, values, env, err, controller.signal, client);
        const r = await askPapers(client, library, q, { k, maxTokens, dense, rerank: values.rerank, signal: controller.signal, onDelta: values.json ? undefined : (t) => out.write(t) });
        if (values.json) {
          const json = {
            answer: r.answer,
            covered: r.covered,
            citations: r.cited.map((c) => ({ key: c.key, file: c.file, title: c.title, label: c.label, pageStart: c.pageStart, pageEnd: c.pageEnd })),
            sources: r.sources.map((c) => ({ key: c.key, file: c.file, title: c.title, label: c.label, pageStart: c.pageStart, pageEnd: c.pageEnd })),
            warnings: {
              unknownKeys: r.check.unknownKeys,
              foreignLinks: r.check.foreignLinks,
              unsupportedNumbers: r.check.sentences.filter((s) => s.unsupportedNumbers.length).map((s) => ({ sentence: s.text, numbers: s.unsupportedNumbers })),
            },
            finishReason: r.finishReason,
            model: r.model,
            retrieval: r.retrieval,
            rerank: r.rerank ?? null,
          };
          out.write(`${jsonText(json)}\n`);
        } else if (!r.covered) out.write(`${r.answer}\n`);
        else out.write(`\n\n---\n${renderAnswerMarkdown(q, r).split('\n').slice(3).join('\n')}`);
        if (r.finishReason === 'cancelled') return EXIT.sigint;
        return EXIT.ok;
      }
      default:
        throw new UsageError(`unknown papers command "${sub}"; use index, list, remove, search or ask`);
    }
  } catch (e) {
    if (controller.signal.aborted && !isMedGemmaError(e)) return EXIT.sigint;
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** Ranked passages: by words, and by meaning too with an embedding model. */
async function search(library: PaperLibrary, positionals: string[], values: ServerFlags & { k?: string; json?: boolean }, env: NodeJS.ProcessEnv, out: NodeJS.WritableStream, err: NodeJS.WritableStream, signal: AbortSignal): Promise<number> {
  const q = question(positionals);
  const k = numberFlag(values.k, 'k', 1, 100) ?? 5;
  await requirePapers(library);
  const dense = await denseIndex(library, values, env, err, signal);
  const hits = dense ? (await retrieve(library, q, { k, dense, signal })).hits : await library.search(q, k);
  if (values.json) {
    out.write(`${jsonText({ hits: hits.map((h) => ({ file: h.paper.file, title: h.paper.meta?.title ?? '', pageStart: h.chunk.pageStart, pageEnd: h.chunk.pageEnd, score: Number(h.score.toFixed(4)), via: h.via ?? 'words', text: h.chunk.text })) })}\n`);
  } else {
    if (!hits.length) err.write('medgemma: no passage matches; try other words.\n');
    hits.forEach((h, i) => out.write(`${i + 1}. ${h.paper.meta?.title ?? h.paper.file}, ${pageLabel(h.chunk)} (score ${h.score.toFixed(2)})\n   ${h.paper.file}\n   ${h.chunk.text.slice(0, 300).replace(/\s+/g, ' ')}…\n\n`));
  }
  return EXIT.ok;
}

/**
 * Search by meaning when an embedding model is given: the passages without vectors are embedded
 * first (a progress line on a terminal). If that fails or is stopped, the question is still
 * answered: by words, and by meaning where vectors exist.
 */
async function denseIndex(library: PaperLibrary, values: ServerFlags, env: NodeJS.ProcessEnv, err: NodeJS.WritableStream, signal: AbortSignal, client?: MedGemmaClient): Promise<DenseIndex | undefined> {
  if (!client && !serverConfig(values, env).config.embeddings) return undefined; // words only: no server, no client
  const c = client ?? makeClient(values, env).client;
  const model = c.embeddingModel?.model;
  if (!model) return undefined;
  const index = new DenseIndex(library, c, model);
  const tty = (err as NodeJS.WriteStream).isTTY;
  let shown = false;
  try {
    const { embedded } = await index.prepare({
      signal,
      onProgress: (done, total) => {
        if (!tty) return;
        rawOutput(err).write(`\r\x1b[Kembedding passages with ${model}: ${done} of ${total}`);
        shown = true;
      },
    });
    if (shown) rawOutput(err).write('\r\x1b[K');
    if (embedded) err.write(`medgemma: embedded ${embedded} passages with ${model} for search by meaning.\n`);
  } catch (e) {
    if (shown) rawOutput(err).write('\r\x1b[K');
    if (signal.aborted) throw e;
    err.write(`medgemma: ${denseNotReady(e)}.\n`);
  }
  return index;
}

/** The line a terminal gets when the papers could not be embedded (`papers search|ask`, `mcp`). */
export function denseNotReady(e: unknown): string {
  return `search by meaning is not ready (${messageOf(e)}); passages are found by their words meanwhile`;
}

function question(positionals: string[]): string {
  const q = positionals.join(' ').trim();
  if (!q) throw new UsageError('give a question in quotes');
  return q;
}

async function requirePapers(library: PaperLibrary): Promise<void> {
  if (!(await library.list()).some((p) => p.state === 'indexed')) {
    throw new UsageError(`no indexed papers in ${library.dir}. Run "medgemma papers index <files>" first (or pass --index DIR)`);
  }
}

async function indexZotero(
  library: PaperLibrary,
  paths: string[],
  values: { force?: boolean; collection?: string[]; 'zotero-dir'?: string },
  env: NodeJS.ProcessEnv,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
  signal: AbortSignal,
): Promise<number> {
  if (paths.length) throw new UsageError('--zotero indexes your Zotero library: give no files with it');
  let dataDir: string;
  let catalog;
  try {
    dataDir = await findDataDir(values['zotero-dir'] ?? env.MEDGEMMA_ZOTERO_DIR);
    // MEDGEMMA_ZOTERO_WORKER: the bundled worker, for running the CLI from source (tests).
    catalog = await readZotero(dataDir, { workerFile: env.MEDGEMMA_ZOTERO_WORKER ?? path.join(__dirname, 'zotero-worker.js') });
  } catch (e) {
    if (e instanceof ZoteroError) throw new UsageError(e.message.replace(/\.$/, ''));
    throw e;
  }
  if (catalog.stale) err.write('medgemma: Zotero is open and has changes not yet written to its database file; they are not included. Close Zotero and run this again to include them.\n');
  let choice: ZoteroChoice = { all: true };
  if (values.collection?.length) {
    const ids: number[] = [];
    for (const name of values.collection) {
      const found = collectionsNamed(catalog, name);
      if (!found.length) throw new UsageError(`Zotero has no collection "${name}"; its collections: ${catalog.collections.map((c) => `"${c.path}"`).join(', ') || 'none'}`);
      ids.push(...found.map((c) => c.id));
    }
    choice = { collections: ids };
  }
  const items = chosenItems(catalog, choice);
  err.write(`medgemma: ${items.length} Zotero item${items.length === 1 ? '' : 's'} with PDFs in ${dataDir}\n`);
  const r = await attachZoteroItems(library, items, { signal, force: values.force, protectedText: 'refuse', refuseReason: (f) => `${path.basename(f)} is password-protected and was not indexed. Index it with: medgemma papers index "${f}" --password P --store-decrypted` });
  let failed = r.missing.length;
  for (const m of r.missing) out.write(`missing   ${m.item.title || m.item.key}\n          ${m.problem}\n`);
  for (const rec of r.records) {
    if (rec.state === 'indexed') out.write(`indexed   ${rec.file} — ${rec.meta ? shortLabel(rec.meta, path.basename(rec.file)) : ''}, ${rec.meta?.pages} pages, ${rec.chunks} passages\n`);
    else {
      failed++;
      out.write(`${rec.state.padEnd(9)} ${rec.file}\n          ${rec.reason}\n`);
    }
  }
  if (r.unchanged) out.write(`unchanged ${r.unchanged} PDF${r.unchanged === 1 ? '' : 's'} already indexed as they are in Zotero\n`);
  if (signal.aborted) {
    err.write(`medgemma: stopped; ${r.records.length} of ${r.toIndex} PDFs were processed.\n`);
    return EXIT.sigint;
  }
  err.write(`medgemma: index in ${library.dir}\n`);
  return failed ? EXIT.usage : EXIT.ok;
}

async function index(
  library: PaperLibrary,
  paths: string[],
  values: { password?: string; force?: boolean; 'store-decrypted'?: boolean },
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
  signal: AbortSignal,
): Promise<number> {
  if (!paths.length) throw new UsageError('give PDF files or folders to index');
  const { files, problems } = findPdfs(paths);
  if (!files.length && !problems.length) throw new UsageError(`no PDF files in ${paths.join(', ')}`);
  for (const p of problems) out.write(`failed    ${p.file}\n          ${p.reason}\n`);
  const tty = (err as NodeJS.WriteStream).isTTY;
  let shown = 0;
  let done = 0;
  /** The progress line (a terminal only) is cleared before anything else is printed. */
  const clearProgress = () => {
    if (shown) rawOutput(err).write('\r\x1b[K'); // our own: back to the start of the progress line, cleared
    shown = 0;
  };
  let failed = problems.length;
  // The index folder is not encrypted: a protected paper's text goes there only when asked.
  const refuse = (f: string) =>
    `${path.basename(f)} is password-protected and was not indexed: its decrypted text would be stored unencrypted in ${library.dir}. ` +
    `To index it anyway: medgemma papers index "${f}" --password P --store-decrypted`;
  const recs = await library.add(files, {
    signal,
    force: values.force,
    protectedText: values['store-decrypted'] ? 'store' : 'refuse',
    refuseReason: refuse,
    password: async (_f, wrong) => (wrong ? undefined : values.password),
    // Several files are read at once: one line, rewritten, names the file that last reported a page.
    onProgress: (f, p, n) => {
      if (tty && Date.now() - shown > 250) {
        clearProgress();
        shown = Date.now();
        err.write(`medgemma: ${done} of ${files.length} done; ${path.basename(f)} page ${p} of ${n}`);
      }
    },
    // Each result as its file ends: a long run shows what it did so far, also when stopped.
    onFile: (r, n) => {
      done = n;
      clearProgress();
      if (r.state === 'indexed') out.write(`indexed   ${r.file} — ${r.meta?.pages} pages, ${r.chunks} passages${r.reason ? ` (${r.reason})` : ''}\n`);
      else {
        failed++;
        out.write(`${r.state.padEnd(9)} ${r.file}\n          ${r.reason}\n`);
      }
    },
  });
  clearProgress();
  if (signal.aborted) {
    err.write(`medgemma: stopped; ${recs.length} of ${files.length} files were processed.\n`);
    return EXIT.sigint;
  }
  err.write(`medgemma: index in ${library.dir}\n`);
  // A file that could not be indexed is bad input, not a server's doing.
  return failed ? EXIT.usage : EXIT.ok;
}
