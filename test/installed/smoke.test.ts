// The extension as a user gets it: installed by code-server from the .vsix into an empty
// extensions folder (no repository, no node_modules beside it). Each test needs files only the
// package can provide: the bundles, the lazily loaded image decoders, the PDF worker, the
// webview scripts and styles. A file left out of the VSIX fails here, not on a user's machine.
import * as assert from 'assert';
import { SAMPLE_IMAGE, SAMPLE_NOTE, SAMPLE_PAPER } from '../../src/vscode/onboarding/samples';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { PaperRecord } from '../../src/core/papers/types';
import { DISCLAIMER } from '../../src/core/notes/render';
import type { ViewerState } from '../../src/vscode/papers/viewer';
import type { MedGemmaTestApi } from '../../src/vscode/test-api';
import { fixture, requireFixture } from '../fixtures';
import { EXTENSION_ID, citations, closeAll, openNote, setUserSettings, summaryDocs, waitFor, workspaceFolder } from '../host/helpers';
import { startSim, type Sim } from '../sim';

const JPEG_LS = fixture('dicom', 'ct512-jpeg-ls.dcm'); // CharLS codec
const JPEG_2000 = fixture('dicom', 'pydicom-JPEG2000.dcm'); // OpenJPEG codec
const PAPER = fixture('pdfs', 'tully2010-heart-failure-programmes.pdf');

type Command = { command: string };

function installed(): vscode.Extension<MedGemmaTestApi> {
  const ext = vscode.extensions.getExtension<MedGemmaTestApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed`);
  return ext;
}

/** The installed copy's test API (what its activate() returns). */
async function api(): Promise<MedGemmaTestApi> {
  return installed().activate();
}

suite('the installed VSIX', () => {
  let sim: Sim;
  let restore: () => Promise<void>;
  let dir: string;

  suiteSetup(async () => {
    sim = await startSim({ tokensPerSecond: 0 });
    restore = await setUserSettings({ 'server.baseUrl': sim.baseUrl, 'summary.defaultTemplate': 'brief' });
    dir = path.join(workspaceFolder().uri.fsPath, 'installed');
    fs.mkdirSync(dir, { recursive: true });
  });

  suiteTeardown(async () => {
    await closeAll();
    await restore?.();
    await sim?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('is the copy code-server installed, with nothing but the package beside it', () => {
    const ext = installed();
    const extensions = process.env.MEDGEMMA_INSTALLED_EXTENSIONS;
    assert.ok(extensions, 'MEDGEMMA_INSTALLED_EXTENSIONS is not set');
    assert.strictEqual(fs.realpathSync(path.dirname(ext.extensionPath)), fs.realpathSync(extensions));
    for (const absent of ['src', 'node_modules', 'test', 'tsconfig.json']) {
      assert.ok(!fs.existsSync(path.join(ext.extensionPath, absent)), `${absent} is in the VSIX`);
    }
    const maps = fs.readdirSync(path.join(ext.extensionPath, 'dist'), { recursive: true }).filter((f) => String(f).endsWith('.map'));
    assert.deepStrictEqual(maps, [], 'source maps are in the VSIX');
  });

  test('activates', async () => {
    const ext = installed();
    await ext.activate();
    assert.strictEqual(ext.isActive, true);
  });

  test('every file the bundles name at run time is in the package', () => {
    const root = installed().extensionPath;
    const code = fs.readFileSync(path.join(root, 'dist', 'extension.js'), 'utf8');
    // Webview scripts and styles ("dist/…", "media/…") and the lazily loaded bundles beside it.
    const named = new Set([...code.matchAll(/["'`]((?:dist|media)\/[\w./-]+\.\w+)["'`]/g)].map((m) => m[1]));
    for (const lazy of ['images.js', 'pdf-worker.js', 'zotero-worker.js', 'mcp.js']) {
      assert.ok(code.includes(`"${lazy}"`), `dist/extension.js no longer names ${lazy}: update this test`);
      named.add(`dist/${lazy}`);
    }
    const manifest = installed().packageJSON;
    named.add(manifest.icon);
    // The walkthrough's pages and the samples its steps open.
    for (const w of manifest.contributes.walkthroughs ?? []) for (const step of w.steps) named.add(step.media?.markdown ?? step.media?.image);
    for (const sample of [SAMPLE_NOTE, SAMPLE_PAPER, SAMPLE_IMAGE]) {
      assert.ok(code.includes(`"${sample}"`), `dist/extension.js no longer names ${sample}: update this test`);
      named.add(`samples/${sample}`);
    }
    for (const c of manifest.contributes.viewsContainers.activitybar) named.add(c.icon);
    // The README's pictures (relative links: VS Code's extension page reads them from here).
    const readme = fs.readdirSync(root).find((f) => /^readme\.md$/i.test(f));
    assert.ok(readme, 'no README in the VSIX');
    const pictures = [...fs.readFileSync(path.join(root, readme), 'utf8').matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);
    assert.ok(pictures.length >= 5, `the README shows ${pictures.length} pictures`);
    for (const p of pictures) named.add(p);
    assert.ok(named.size >= 10, `only ${named.size} files found: ${[...named].join(', ')}`);
    const missing = [...named].filter((f) => !fs.existsSync(path.join(root, f)));
    assert.deepStrictEqual(missing, [], 'named by the code but not in the VSIX');
  });

  test('registers every command its installed package.json contributes', async () => {
    const ext = installed();
    await ext.activate();
    // From the file on disk, not the copy VS Code keeps: that is what was packaged.
    const manifest = JSON.parse(fs.readFileSync(path.join(ext.extensionPath, 'package.json'), 'utf8'));
    const contributed: Command[] = manifest.contributes?.commands ?? [];
    assert.ok(contributed.length > 20, `only ${contributed.length} contributed commands`);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c.command)).map((c) => c.command);
    assert.deepStrictEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  test("the chat view's page starts (dist/webview/chat.js)", async () => {
    await vscode.commands.executeCommand('medgemma.focusChat');
    await waitFor(
      'the chat page to start and talk to the host',
      async () => (await api()).chatState().viewResolved,
      45_000,
    );
  });

  test('JPEG-LS and JPEG 2000 DICOMs open in the annotator, and Send to Chat decodes their frames (dist/images.js)', async function () {
    requireFixture(this, JPEG_LS);
    requireFixture(this, JPEG_2000);
    const ls = path.join(dir, 'ct-jpeg-ls.dcm');
    const j2k = path.join(dir, 'mr-jpeg2000.dcm');
    fs.copyFileSync(JPEG_LS, ls);
    fs.copyFileSync(JPEG_2000, j2k);
    const state = async () => (await api()).imagesState();
    for (const file of [ls, j2k]) {
      const before = (await state()).pagesStarted;
      await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file));
      await waitFor('the annotator page to get its image (dist/webview/image.js)', async () => {
        const s = await state();
        return s.pagesStarted > before && s.waiting === 0;
      }, 45_000);
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      assert.ok(input instanceof vscode.TabInputCustom && input.viewType === 'medgemma.imageAnnotator', 'not open in the annotator');
      // The model's view of the file, as the chat gets it: decoding needs the codec in the bundle.
      const sent = await (await api()).sendImageToChat(file);
      assert.deepStrictEqual(sent && [sent.width, sent.height], [896, 896], path.basename(file));
    }
  });

  test('a PDF is indexed in the worker thread (dist/pdf-worker.js) and shown in the viewer (dist/paper-viewer.js)', async function () {
    requireFixture(this, PAPER);
    const file = path.join(dir, path.basename(PAPER));
    fs.copyFileSync(PAPER, file);
    const [rec] = (await vscode.commands.executeCommand('medgemma.attachPaper', vscode.Uri.file(file))) as PaperRecord[];
    assert.strictEqual(rec?.state, 'indexed', rec?.reason);
    assert.strictEqual(rec.meta?.pages, 6);
    assert.ok(rec.chunks > 5, `${rec.chunks} chunks`);
    await vscode.commands.executeCommand('medgemma.openPaperPage', `${rec.id}#0`, 2, false);
    const drawn = await waitFor(
      'the viewer to draw page 2',
      async () => {
        const s: ViewerState | undefined = (await api()).paperViewerState();
        return s?.page === 2 ? s : undefined;
      },
      45_000,
    );
    assert.strictEqual(drawn.pages, 6);
  });

  test('a summary streams from the simulator into a cited document', async () => {
    // Paced so that the document's 50 ms flushes see several parts of the answer.
    sim.setOptions({ tokensPerSecond: 1000 });
    await openNote();
    const before = new Set(summaryDocs());
    let edits = 0;
    const counting = vscode.workspace.onDidChangeTextDocument((e) => {
      if (!before.has(e.document) && summaryDocs().includes(e.document) && e.contentChanges.length) edits++;
    });
    try {
      await vscode.commands.executeCommand('medgemma.summarizeNote');
      const doc = await waitFor('a finished summary', () => summaryDocs().find((d) => !before.has(d) && d.getText().trim().endsWith(DISCLAIMER)), 60_000);
      assert.ok(edits > 2, `the summary arrived in ${edits} edit(s), not streamed`);
      assert.ok(citations(doc.getText()).length > 0, 'no citation');
      const req = sim.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1);
      assert.strictEqual(req?.body?.stream, true);
    } finally {
      counting.dispose();
    }
  });
});
