// Image annotator: the custom editor and "MedGemma: Annotate Image".

import * as vscode from 'vscode';
import type { Services } from '../services';
import type { ImagesState, MedGemmaTestApi, SentImage } from '../test-api';
import { AnnotatorProvider, VIEW_TYPE } from './provider';

const IMAGE_RE = /\.(dcm|dicom|png|jpe?g|webp)$/i;

/** Returns the annotator's part of the test API (test-api.ts). */
export function register(ctx: vscode.ExtensionContext, services: Services): Pick<MedGemmaTestApi, 'imagesState' | 'sendImageToChat'> {
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
  );
  return {
    imagesState: (): ImagesState => ({ pagesStarted: provider.starts.pagesStarted, waiting: provider.starts.waiting, imagesOpened: provider.starts.imagesOpened }),
    sendImageToChat: async (file, view) => {
      const sent = await provider.sendToChat(vscode.Uri.file(file), view);
      return sent && { name: sent.name, frame: sent.frame, ...pngOf(sent.dataUrl) };
    },
  };
}

/** The size of the PNG in a data URL, read from its bytes (the IHDR chunk), not from any claim. */
function pngOf(dataUrl: string): Pick<SentImage, 'bytes' | 'width' | 'height'> {
  const png = Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
  const isPng = png.length > 24 && png.toString('latin1', 1, 4) === 'PNG' && png.toString('latin1', 12, 16) === 'IHDR';
  return { bytes: png.length, width: isPng ? png.readUInt32BE(16) : 0, height: isPng ? png.readUInt32BE(20) : 0 };
}
