// First run: the "Get started with MedGemma" walkthrough's commands — copy a server command,
// open (and summarize) the bundled sample note, attach the sample paper, open the sample radiograph.

import * as vscode from 'vscode';
import type { Services } from '../services';
import { replayMilestones } from './milestones';
import { copyServerCommand } from './server-commands';
import { SAMPLE_IMAGE, SAMPLE_PAPER, SAMPLE_SCHEME, SampleNotes, openSampleNote, sampleUri } from './samples';

/** `publisher.name#id` of the walkthrough in package.json. */
export const WALKTHROUGH = 'medgemma-vscode.medgemma-vscode#getStarted';

export function register(ctx: vscode.ExtensionContext, services: Services): void {
  /**
   * A writable copy in global storage: the paper index and the annotator's sidecar file refer
   * to the file by path, and must not write into (or point into) the installed extension.
   */
  const writableCopy = async (name: string): Promise<vscode.Uri> => {
    const dir = vscode.Uri.joinPath(ctx.globalStorageUri, 'samples');
    const copy = vscode.Uri.joinPath(dir, name);
    try {
      await vscode.workspace.fs.stat(copy);
    } catch {
      await vscode.workspace.fs.createDirectory(dir);
      await vscode.workspace.fs.copy(sampleUri(ctx.extensionUri, name), copy, { overwrite: true });
    }
    return copy;
  };
  const withSample = async (name: string, what: string, run: (uri: vscode.Uri) => Thenable<unknown>) => {
    try {
      return await run(await writableCopy(name));
    } catch (e) {
      services.log.error(`Sample ${name}: ${(e as Error)?.message ?? e}`);
      void vscode.window.showErrorMessage(`Could not open the sample ${what}: ${(e as Error)?.message ?? e}. Reinstall the extension, or use a file of your own.`);
      return undefined;
    }
  };

  const showSampleNote = async (): Promise<boolean> => {
    try {
      await openSampleNote();
      return true;
    } catch (e) {
      void vscode.window.showErrorMessage(`Could not open the sample note: ${(e as Error)?.message ?? e}. Reinstall the extension, or open a note of your own.`);
      return false;
    }
  };

  ctx.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(SAMPLE_SCHEME, new SampleNotes(ctx.extensionUri)),
    vscode.commands.registerCommand('medgemma.openWalkthrough', async () => {
      await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH, false);
      await replayMilestones();
    }),
    vscode.commands.registerCommand('medgemma.copyServerCommand', (kind?: unknown) => copyServerCommand(kind)),
    vscode.commands.registerCommand('medgemma.openSampleNote', () => showSampleNote()),
    // From the walkthrough the active editor is the walkthrough itself: open the note first.
    vscode.commands.registerCommand('medgemma.summarizeSampleNote', async () => {
      if (await showSampleNote()) await vscode.commands.executeCommand('medgemma.summarizeNote');
    }),
    vscode.commands.registerCommand('medgemma.attachSamplePaper', () =>
      withSample(SAMPLE_PAPER, 'paper', async (uri) => {
        await vscode.commands.executeCommand('medgemma.attachPaper', uri);
        // Show where it went: the Papers view, under the chat that answers "/papers" questions.
        await vscode.commands.executeCommand('medgemma.papers.focus');
      }),
    ),
    vscode.commands.registerCommand('medgemma.openSampleImage', () =>
      withSample(SAMPLE_IMAGE, 'image', (uri) => vscode.commands.executeCommand('medgemma.annotateImage', uri)),
    ),
  );
}
