// One build script for every bundle: the extension, the CLI and the host tests.
// Usage: node esbuild.mjs [--watch] [--production] [--only cli,pdf-worker] [--outdir DIR]
// (--only/--outdir: tests that run the built CLI build just what they run, exactly as shipped.)
import * as esbuild from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const flag = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const only = flag('--only')?.split(',');
const outdir = flag('--outdir') ?? 'dist';

// pdf.js keeps the two classes src/core/papers/pdfjs-harden.ts needs to itself: export them
// from the worker module (the build fails if a pdf.js update renames them).
const pdfjsInternals = {
  name: 'pdfjs-internals',
  setup(build) {
    build.onLoad({ filter: /pdfjs-dist[\\/]legacy[\\/]build[\\/]pdf\.worker\.mjs$/ }, (args) => ({
      contents: `${readFileSync(args.path, 'utf8')}\nexport const __pdfjsInternals = { Catalog, PartialEvaluator };\n`,
      loader: 'js',
    }));
  },
};

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  external: ['vscode'],
};

const builds = [
  { ...node, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  // `medgemma mcp` alone: the MCP server the extension offers VS Code's agent mode (in the VSIX; the CLI is not).
  { ...node, entryPoints: { mcp: 'src/cli/mcp/main.ts' }, outdir: 'dist' },
  // Image annotator: decoders and codecs in their own bundle, loaded on first use (src/vscode/images/lazy.ts).
  { ...node, entryPoints: { images: 'src/vscode/images/heavy.ts' }, outdir: 'dist' },
  // Image annotator webview (browser): the same windowing core the host and CLI use.
  { ...node, platform: 'browser', format: 'iife', target: 'es2022', external: [], entryPoints: { 'webview/image': 'webview-ui/image/main.ts' }, outdir: 'dist' },
  // pdf.js runs only in this worker thread (docs/papers.md); CJS empties import.meta.
  {
    ...node,
    entryPoints: { 'pdf-worker': 'src/core/papers/pdf-worker.ts' },
    outdir: 'dist',
    minify: true,
    external: ['@napi-rs/canvas'],
    plugins: [pdfjsInternals],
    // Short lines: should V8 ever print a source line of this bundle, it is not 90 KB long.
    lineLimit: 200,
    define: { 'import.meta.url': '__importMetaUrl' },
    banner: { js: 'var __importMetaUrl=require("url").pathToFileURL(__filename).href;' },
  },
  // Zotero import: SQLite (sql.js, WebAssembly inlined) in a worker thread, so its memory goes when the thread ends.
  { ...node, entryPoints: { 'zotero-worker': 'src/core/papers/zotero/worker.ts' }, outdir: 'dist', minify: true, lineLimit: 200 },
  // The paper viewer webview: pdf.js (with its worker code, run in-thread) in one script.
  {
    bundle: true,
    platform: 'browser',
    target: 'chrome114',
    format: 'iife',
    sourcemap: !production,
    minify: true,
    logLevel: 'warning',
    entryPoints: { 'paper-viewer': 'webview-ui/paper-viewer/main.ts' },
    outdir: 'dist',
    define: { 'import.meta.url': '""' },
  },
];
// Webviews: browser bundles, loaded by nonce under a strict CSP (no eval, no network).
builds.push({
  bundle: true,
  platform: 'browser',
  target: 'chrome120',
  format: 'iife',
  sourcemap: production ? false : 'inline',
  minify: production,
  logLevel: 'warning',
  entryPoints: { 'webview/chat': 'webview-ui/chat/main.ts' },
  outdir: 'dist',
});
// The host-test bundles exist only in a checkout, not in the packaged extension. Never minified:
// a failure's stack should read like the source.
for (const suite of ['host', 'installed']) {
  if (existsSync(`test/${suite}/index.ts`)) {
    builds.push({ ...node, minify: false, entryPoints: { [`test/${suite}/index`]: `test/${suite}/index.ts` }, outdir: 'dist', external: ['vscode', 'mocha'] });
  }
}

const chosen = builds
  .filter((b) => !only || Object.keys(b.entryPoints).some((e) => only.includes(e)))
  .map((b) => ({ ...b, outdir: b.outdir === 'dist' ? outdir : b.outdir }));
if (only && !chosen.length) throw new Error(`--only ${only.join(',')}: no such bundle`);
if (watch) {
  for (const b of chosen) await (await esbuild.context(b)).watch();
  console.log('esbuild: watching');
} else {
  await Promise.all(chosen.map((b) => esbuild.build(b)));
}
