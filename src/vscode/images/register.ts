// Image annotator: the custom editor, "MedGemma: Annotate Image", and the chat seam.

import * as vscode from 'vscode';
import type { Services } from '../services';
import type { ImagesState } from '../test-api';
import type { AttachmentOptions } from './attachment';
import { images } from './lazy';
import { AnnotatorProvider, VIEW_TYPE } from './provider';

const IMAGE_RE = /\.(dcm|dicom|png|jpe?g|webp)$/i;

/** Returns a reader of the annotator pages' state, for the test API (test-api.ts). */
export function register(ctx: vscode.ExtensionContext, services: Services): () => ImagesState {
  const provider = new AnnotatorProvider(ctx, services);
  const options = { webviewOptions: { retainContextWhenHidden: true }, supportsMultipleEditorsPerDocument: false };
  ctx.subscriptions.push(
    provider,
    // .dcm opens here by default; PNG/JPEG/WebP offer it under "Open With…".
    vscode.window.registerCustomEditorProvider(`${VIEW_TYPE}.option`, provider, options),
    vscode.window.registerCustomEditorProvider(VIEW_TYPE, provider, options),
    vscode.commands.registerCommand('medgemma.annotateImage', async (uri?: vscode.Uri) => {
      let target = uri instanceof vscode.Uri ? uri : undefined;
      if (!target) {
        const picked = await vscode.window.showOpenDialog({
          canSelectMany: false,
          filters: { Images: ['dcm', 'dicom', 'png', 'jpg', 'jpeg', 'webp'] },
          title: 'Annotate an image with MedGemma',
        });
        target = picked?.[0];
      }
      if (!target) return;
      if (!IMAGE_RE.test(target.path)) {
        void vscode.window.showWarningMessage('MedGemma annotates PNG, JPEG and DICOM images: pick one of those.');
        return;
      }
      await vscode.commands.executeCommand('vscode.openWith', target, VIEW_TYPE);
    }),
    // For the chat (issue 4) and other features: the exact PNG the model would get for an image.
    vscode.commands.registerCommand('medgemma.images.renderForChat', (uri: vscode.Uri, opts?: AttachmentOptions) => images().renderForChat(uri, opts)),
  );
  return () => ({ pagesStarted: provider.starts.pagesStarted, waiting: provider.starts.waiting, imagesOpened: provider.starts.imagesOpened });
}
