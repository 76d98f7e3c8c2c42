// The image annotator as VS Code sees it: the default editor for .dcm, its Send to Chat, and
// "Open With" for PNG through the Annotate Image command.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { activate, testApi, waitFor, workspaceFolder } from './helpers';
import { fixture, requireFixture } from '../fixtures';

const CT = fixture('dicom', 'ct512-explicit-le.dcm');
const CXR = fixture('images', 'nih-cxr14-00000001_000.png');

const imagesState = async () => (await testApi()).imagesState();

/** The annotator's page got its image: a blank page would have been reopened (start-recovery.ts). */
async function pageStarted(before: number): Promise<void> {
  await waitFor('the annotator page to get its image', async () => {
    const s = await imagesState();
    return s.pagesStarted > before && s.waiting === 0;
  }, 45_000);
}

function activeCustomViewType(): string | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputCustom ? input.viewType : undefined;
}

suite('image annotator', () => {
  let dir: string;

  suiteSetup(async function () {
    requireFixture(this, CT);
    requireFixture(this, CXR);
    await activate();
    dir = path.join(workspaceFolder().uri.fsPath, 'images-host');
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(CT, path.join(dir, 'ct.dcm'));
    fs.copyFileSync(CXR, path.join(dir, 'cxr.png'));
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a .dcm file opens in the MedGemma Image Annotator by default', async () => {
    const before = (await imagesState()).pagesStarted;
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(path.join(dir, 'ct.dcm')));
    const viewType = await waitFor('a custom editor tab', () => activeCustomViewType());
    assert.strictEqual(viewType, 'medgemma.imageAnnotator');
    await pageStarted(before);
  });

  test("the annotator's Send to Chat gives the chat exactly the model image (896 px PNG, file name only)", async () => {
    // The annotator of ct.dcm is open (the test before), and the chat view was never opened: the
    // chat opens as a user sees it, and its page takes the image.
    const sent = await (await testApi()).sendImageToChat(path.join(dir, 'ct.dcm'), { window: { center: 40, width: 400 } });
    assert.ok(sent, 'the chat did not take the image');
    assert.deepStrictEqual({ name: sent.name, frame: sent.frame, width: sent.width, height: sent.height }, { name: 'ct.dcm', frame: 0, width: 896, height: 896 });
    assert.ok(sent.bytes > 1000, `${sent.bytes} bytes`);
    await waitFor(
      'the chat view to open and its page to take the image',
      async () => {
        const s = (await testApi()).chatState();
        return s.viewResolved && s.attachmentsWaiting === 0;
      },
      30_000,
    );
    // What else reaches the chat's command is refused.
    assert.strictEqual(await vscode.commands.executeCommand('medgemma.chat.attachImage', { name: 'x.png', dataUrl: 'https://example.org/x.png' }), false);
    assert.strictEqual(await vscode.commands.executeCommand('medgemma.chat.attachImage', 'not an attachment'), false);
  });

  test('"MedGemma: Annotate Image" opens a PNG in the annotator (an "Open With" choice for PNG)', async () => {
    const ext = await activate();
    const editors: { viewType: string; priority: string; selector: { filenamePattern: string }[] }[] = ext.packageJSON.contributes.customEditors;
    const png = editors.find((e) => e.selector.some((s) => s.filenamePattern === '*.png'));
    assert.strictEqual(png?.priority, 'option', 'PNG must stay with the default image preview unless chosen');
    const before = (await imagesState()).pagesStarted;
    await vscode.commands.executeCommand('medgemma.annotateImage', vscode.Uri.file(path.join(dir, 'cxr.png')));
    const viewType = await waitFor('the annotator on the PNG', () => {
      const v = activeCustomViewType();
      return v?.startsWith('medgemma.imageAnnotator') ? v : undefined;
    });
    assert.ok(viewType);
    await pageStarted(before);
  });

  test('an image whose annotations path is a folder still opens, and the folder is left alone', async () => {
    const image = path.join(dir, 'sidecar-folder.png');
    fs.copyFileSync(CXR, image);
    const folder = `${image}.annotations.json`;
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'keep.txt'), 'not annotations');
    const before = await imagesState();
    await vscode.commands.executeCommand('medgemma.annotateImage', vscode.Uri.file(image));
    await waitFor('the image to open despite its unreadable annotations', async () => (await imagesState()).imagesOpened > before.imagesOpened, 45_000);
    await pageStarted(before.pagesStarted);
    // The page reports its view after opening, which saves: nothing may be written over the folder.
    await new Promise((r) => setTimeout(r, 1500));
    assert.ok(fs.statSync(folder).isDirectory());
    assert.deepStrictEqual(fs.readdirSync(folder), ['keep.txt']);
    assert.deepStrictEqual(fs.readdirSync(dir).filter((f) => f.startsWith('sidecar-folder') || f.includes('.tmp')).sort(), ['sidecar-folder.png', 'sidecar-folder.png.annotations.json']);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

});
